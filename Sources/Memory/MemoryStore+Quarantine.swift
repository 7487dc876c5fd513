#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Musl)
    @preconcurrency import Musl
#endif

extension MemoryStore {
    /// Appends whole lines to `relative`, creating the file and its directories when missing.
    ///
    /// A torn tail is quarantined first, then the bytes go out in one write loop followed by `fsync` (and a
    /// directory `fsync` for a new file). The caller holds the exclusive lock.
    func appendLines(_ bytes: [UInt8], to relative: String) throws {
        let full = path(relative)
        let parent = FileSystem.parentDirectory(of: full)
        try FileSystem.makeDirectories(parent)
        var created = false
        let fd: Int32
        if let existing = try FileSystem.openFile(full, O_RDWR | O_APPEND) {
            fd = existing
        } else {
            fd = try FileSystem.openExistingFile(full, O_RDWR | O_APPEND | O_CREAT)
            created = true
        }
        defer { FileSystem.closeFile(fd) }
        try quarantineTornTail(fd, relative: relative)
        try FileSystem.writeAll(fd, bytes, path: full)
        try FileSystem.syncFile(fd, path: full)
        if created { try FileSystem.syncDirectory(parent) }
    }

    /// Moves the bytes after the last `\n` of an open file to `quarantine/` and truncates them off.
    ///
    /// The quarantine copy is fsynced before the truncation, so the torn bytes are never lost. The caller holds
    /// the exclusive lock (or is the file's only writer).
    ///
    /// - Returns: the warning reported through ``onWarning``, or `nil` when the file ended cleanly.
    @discardableResult
    func quarantineTornTail(_ fd: Int32, relative: String) throws -> MemoryWarning? {
        let full = path(relative)
        let size = try FileSystem.fileSize(fd, path: full)
        guard size > 0, try FileSystem.readBytes(fd, count: 1, at: size - 1, path: full) != [0x0A] else {
            return nil
        }
        let start = try startOfLastLine(fd, size: size, path: full)
        let torn = try FileSystem.readBytes(fd, count: size - start, at: start, path: full)
        let name = try writeQuarantine(torn, for: relative)
        try FileSystem.truncateFile(fd, to: start, path: full)
        try FileSystem.syncFile(fd, path: full)
        let warning = MemoryWarning(
            file: relative, line: nil,
            message: "torn last line (\(torn.count) bytes without a trailing newline, from an interrupted write) "
                + "moved to \(name) and truncated off")
        report(warning)
        return warning
    }

    /// The offset just after the last `\n` before `size`, scanning backwards in chunks.
    private func startOfLastLine(_ fd: Int32, size: Int, path: String) throws -> Int {
        let chunk = 64 * 1024
        var end = size
        while end > 0 {
            let from = max(0, end - chunk)
            let bytes = try FileSystem.readBytes(fd, count: end - from, at: from, path: path)
            if let newline = bytes.lastIndex(of: 0x0A) { return from + newline + 1 }
            end = from
        }
        return 0
    }

    /// Writes `bytes` to a new, fsynced file in `quarantine/` and returns its path relative to the memory directory.
    private func writeQuarantine(_ bytes: [UInt8], for relative: String) throws -> String {
        let directoryPath = path("quarantine")
        try FileSystem.makeDirectories(directoryPath)
        let flattened = relative.split(separator: "/").joined(separator: ".")
        let base = flattened + "." + RecordStamp.compact(RecordStamp.currentMilliseconds())
        for attempt in 0... {
            let name = "quarantine/" + base + (attempt == 0 ? "" : "-\(attempt)") + ".torn"
            let full = path(name)
            guard let fd = try Self.createExclusively(full) else { continue }
            defer { FileSystem.closeFile(fd) }
            try FileSystem.writeAll(fd, bytes, path: full)
            try FileSystem.syncFile(fd, path: full)
            try FileSystem.syncDirectory(directoryPath)
            return name
        }
        fatalError("unreachable: the attempt counter is unbounded")
    }

    /// Creates a new file for writing; `nil` when something already exists at `path`.
    private static func createExclusively(_ path: String) throws(MemoryError) -> Int32? {
        do {
            return try FileSystem.openExistingFile(path, O_WRONLY | O_CREAT | O_EXCL)
        } catch {
            if case .io(_, _, let code) = error, code == EEXIST { return nil }
            throw error
        }
    }
}
