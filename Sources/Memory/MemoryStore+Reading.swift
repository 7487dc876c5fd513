extension MemoryStore {
    /// Global records merged with one session's, under a shared lock.
    ///
    /// Within a file the last line for an id wins. Between files the version with the later `time` wins; on a
    /// tie the global copy is kept and the session copy dropped. Torn and corrupted lines are skipped and
    /// returned as warnings with their file and line.
    ///
    /// - Parameters:
    ///   - session: the session whose unpromoted records to include, or `nil` for global memory only.
    ///   - kind: only records of this kind, or `nil` for all.
    /// - Returns: the records ordered by time then id, and the warnings.
    public func read(session: String?, kind: MemoryKind? = nil) throws -> MemoryReadResult {
        if let session { try Self.validateSession(session) }
        return try withLock(exclusive: false) {
            var files = [Self.globalFile]
            if let session { files.append(Self.sessionFile(session)) }
            return try merge(files, kind: kind)
        }
    }

    /// Global records merged with every session's, for listing and export.
    public func readAll(kind: MemoryKind? = nil) throws -> MemoryReadResult {
        try withLock(exclusive: false) {
            try merge([Self.globalFile] + listSessions().map(Self.sessionFile), kind: kind)
        }
    }

    /// Records (as ``read(session:kind:)`` sees them) whose serialized `data` contains every
    /// whitespace-separated term of `query`, compared case-insensitively. An empty query matches everything.
    public func search(_ query: String, session: String?, kind: MemoryKind?) throws -> MemoryReadResult {
        let terms = query.split(whereSeparator: \.isWhitespace).map { $0.lowercased() }
        var result = try read(session: session, kind: kind)
        result.records.removeAll { record in
            let text = JSONValue.object(record.data).serialized().lowercased()
            return !terms.allSatisfy { text.contains($0) }
        }
        return result
    }

    /// The names of the sessions that have a directory under `sessions/`, sorted.
    public func sessions() throws -> [String] {
        try withLock(exclusive: false) { try listSessions() }
    }

    func listSessions() throws -> [String] {
        try FileSystem.listDirectory(path("sessions")).filter { name in
            Self.isValidName(name) && (try? FileSystem.kind(of: path("sessions/" + name))) == .directory
        }
    }

    /// Reads `files` in order and keeps, per id, the latest version (ties go to the earlier file).
    private func merge(_ files: [String], kind: MemoryKind?) throws -> MemoryReadResult {
        var chosen: [String: MemoryRecord] = [:]
        var warnings: [MemoryWarning] = []
        for relative in files {
            guard let file = try recordFile(relative) else { continue }
            warnings += file.warnings(file: relative)
            for record in file.latestRecords {
                if let existing = chosen[record.id], existing.time >= record.time { continue }
                chosen[record.id] = record
            }
        }
        let records = chosen.values
            .filter { kind == nil || $0.kind == kind }
            .sorted { ($0.time, $0.id) < ($1.time, $1.id) }
        return MemoryReadResult(records: records, warnings: warnings)
    }
}
