#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Musl)
    @preconcurrency import Musl
#endif

extension MemoryStore {
    static func validateRun(_ run: String) throws(MemoryError) {
        guard isValidName(run) else { throw .invalidRunName(run) }
    }

    /// Opens `runs/<run>/events.ndjson` for appending, creating the run's directory and file when missing.
    ///
    /// A torn last line left by a crash is moved to quarantine first (reported through ``onWarning``), so the
    /// next line does not get glued to it.
    public func openEventLog(run: String) throws -> EventLog {
        try Self.validateRun(run)
        let relative = "runs/\(run)/events.ndjson"
        let full = path(relative)
        return try withLock(exclusive: true) {
            try FileSystem.makeDirectories(path("runs/" + run))
            let fd = try FileSystem.openExistingFile(full, O_RDWR | O_APPEND | O_CREAT)
            do {
                try quarantineTornTail(fd, relative: relative)
                try FileSystem.syncDirectory(path("runs/" + run))
            } catch {
                FileSystem.closeFile(fd)
                throw error
            }
            return EventLog(path: full, descriptor: fd)
        }
    }

    /// The event lines of a run (without their `\n`) whose `seq` is at least `sinceSeq`.
    ///
    /// A torn last line (a write in progress or interrupted) is skipped. With `sinceSeq` ≤ 0 every complete line
    /// is returned, including lines without a numeric `seq`; otherwise such lines are skipped.
    ///
    /// - Throws: ``MemoryError/noSuchRun(_:)`` when the run has no directory.
    public func readEvents(run: String, sinceSeq: Int = 0) throws -> [String] {
        try Self.validateRun(run)
        guard try FileSystem.kind(of: path("runs/" + run)) == .directory else { throw MemoryError.noSuchRun(run) }
        guard let bytes = try FileSystem.readFile(path("runs/\(run)/events.ndjson")) else { return [] }
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        lines.removeLast()  // the torn tail, or the empty remainder after the final newline
        return lines.compactMap { line -> String? in
            guard !line.isEmpty else { return nil }
            if sinceSeq > 0 {
                guard let seq = (try? JSONValue.parse(bytes: line))?["seq"]?.intValue, seq >= sinceSeq else {
                    return nil
                }
            }
            return String(decoding: line, as: UTF8.self)
        }
    }

    /// Replaces `runs/<run>/run.json` atomically (temporary file, fsync, rename, directory fsync).
    public func writeRunState(run: String, _ state: JSONValue) throws {
        try Self.validateRun(run)
        try FileSystem.makeDirectories(path("runs/" + run))
        try FileSystem.writeAtomically(path("runs/\(run)/run.json"), state.serializedBytes() + [0x0A])
    }

    /// The latest state of a run, or `nil` when it has none.
    ///
    /// - Throws: ``MemoryError/invalidRunState(path:reason:)`` when `run.json` is not valid JSON.
    public func readRunState(run: String) throws -> JSONValue? {
        try Self.validateRun(run)
        let full = path("runs/\(run)/run.json")
        guard let bytes = try FileSystem.readFile(full) else { return nil }
        do {
            return try JSONValue.parse(bytes: bytes)
        } catch {
            throw MemoryError.invalidRunState(path: full, reason: error.description)
        }
    }

    /// The names of the runs that have a directory under `runs/`, sorted.
    public func runs() throws -> [String] {
        try FileSystem.listDirectory(path("runs")).filter { name in
            Self.isValidName(name) && (try? FileSystem.kind(of: path("runs/" + name))) == .directory
        }
    }

    /// `<memory dir>/cache`, free for other modules; see ``ensureCacheDirectory()``.
    public var cacheDirectory: String { path("cache") }

    /// Creates ``cacheDirectory`` when missing and returns it.
    @discardableResult
    public func ensureCacheDirectory() throws -> String {
        try FileSystem.makeDirectories(cacheDirectory)
        return cacheDirectory
    }
}
