extension MemoryStore {
    /// The file holding promoted records, relative to the memory directory.
    static let globalFile = "global/records.jsonl"

    /// The file holding a session's records, relative to the memory directory.
    static func sessionFile(_ session: String) -> String { "sessions/\(session)/records.jsonl" }

    static func validateSession(_ session: String) throws(MemoryError) {
        guard isValidName(session) else { throw .invalidSessionName(session) }
    }

    /// Appends one record to its session's file, durably.
    ///
    /// Appending a record whose id already exists stores a new version of it (see ``MemoryRecord/revised(data:)``).
    ///
    /// - Returns: the record as stored (scope ``MemoryScope/session``).
    /// - Throws: ``MemoryError/invalidSessionName(_:)`` or ``MemoryError/io(path:operation:errno:)``.
    @discardableResult
    public func append(_ record: MemoryRecord) throws -> MemoryRecord {
        try append(contentsOf: [record])[0]
    }

    /// Appends records to their sessions' files under one exclusive lock, with one write and one `fsync` per file.
    ///
    /// - Returns: the records as stored (scope ``MemoryScope/session``), in the order given.
    /// - Throws: ``MemoryError/invalidSessionName(_:)`` before anything is written, or an I/O error.
    @discardableResult
    public func append(contentsOf records: [MemoryRecord]) throws -> [MemoryRecord] {
        let stored = records.map { record in
            var copy = record
            copy.scope = .session
            return copy
        }
        var order: [String] = []
        var lines: [String: [UInt8]] = [:]
        for record in stored {
            try Self.validateSession(record.session)
            if lines[record.session] == nil { order.append(record.session) }
            lines[record.session, default: []].append(contentsOf: record.line)
        }
        guard !order.isEmpty else { return [] }
        try withLock(exclusive: true) {
            for session in order { try appendLines(lines[session]!, to: Self.sessionFile(session)) }
        }
        return stored
    }

    /// Copies a session's records from one run and phase into global memory, durably, under the exclusive lock.
    ///
    /// Copies the latest version of each session record whose `run` and `phase` match, unless global memory
    /// already holds that version or a later one; the copy keeps id, time and data and gets scope
    /// ``MemoryScope/global``. Calling it again promotes nothing new.
    ///
    /// - Returns: the records appended to `global/records.jsonl`.
    public func promote(session: String, run: String?, phase: String) throws -> [MemoryRecord] {
        try Self.validateSession(session)
        return try withLock(exclusive: true) {
            let sessionRecords = try recordFile(Self.sessionFile(session))?.latestRecords ?? []
            var global: [String: MemoryRecord] = [:]
            for record in try recordFile(Self.globalFile)?.latestRecords ?? [] { global[record.id] = record }
            var promoted: [MemoryRecord] = []
            for record in sessionRecords where record.run == run && record.phase == phase {
                if let existing = global[record.id], existing.time >= record.time { continue }
                var copy = record
                copy.scope = .global
                promoted.append(copy)
            }
            if !promoted.isEmpty { try appendLines(promoted.flatMap(\.line), to: Self.globalFile) }
            return promoted
        }
    }

    /// The parsed records file at `relative`, or `nil` when it does not exist.
    func recordFile(_ relative: String) throws -> RecordFile? {
        try FileSystem.readFile(path(relative)).map(RecordFile.init(bytes:))
    }
}
