import Synchronization

#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Musl)
    @preconcurrency import Musl
#endif

extension MemoryStore {
    /// Removes records under the exclusive lock: one session's directory, or with `nil` all records (global
    /// and every session). Runs, `format.json`, `cache/` and `quarantine/` are kept.
    ///
    /// The doomed directory is first renamed to a hidden name (atomic), then deleted, so a crash midway never
    /// leaves a half-wiped session visible; leftovers are removed by the next wipe.
    public func wipe(session: String?) throws {
        if let session { try Self.validateSession(session) }
        try withLock(exclusive: true) {
            if let session {
                try removeAtomically("sessions/" + session, hiddenIn: "sessions")
            } else {
                try FileSystem.removeFile(path(Self.globalFile))
                if try FileSystem.kind(of: path("global")) == .directory {
                    try FileSystem.syncDirectory(path("global"))
                }
                try removeAtomically("sessions", hiddenIn: ".")
            }
            try removeLeftovers(in: "sessions")
            try removeLeftovers(in: ".")
        }
    }

    private func removeAtomically(_ relative: String, hiddenIn parent: String) throws {
        guard try FileSystem.kind(of: path(relative)) != .missing else { return }
        let name = relative.split(separator: "/").last.map(String.init) ?? relative
        let hidden = parent + "/" + FileSystem.uniqueName(".wiped-" + name)
        try FileSystem.renameFile(path(relative), to: path(hidden))
        try FileSystem.syncDirectory(path(parent))
        try FileSystem.removeTree(path(hidden))
    }

    private func removeLeftovers(in parent: String) throws {
        for name in try FileSystem.listDirectory(path(parent)) where name.hasPrefix(".wiped-") {
            try FileSystem.removeTree(path(parent + "/" + name))
        }
    }

    /// Rewrites each records file keeping only the last line per id, atomically, under the exclusive lock.
    ///
    /// A torn tail is moved to quarantine first. Corrupted lines are kept verbatim and in place. Each file is
    /// written to a temporary file in its directory, fsynced, renamed over the original and the directory
    /// fsynced; if anything fails before the rename the original is untouched.
    public func compact() throws -> MemoryCompactionReport {
        try withLock(exclusive: true) {
            var report = MemoryCompactionReport()
            for relative in [Self.globalFile] + (try listSessions().map(Self.sessionFile)) {
                try compact(relative, into: &report)
            }
            return report
        }
    }

    private func compact(_ relative: String, into report: inout MemoryCompactionReport) throws {
        let full = path(relative)
        guard let fd = try FileSystem.openFile(full, O_RDWR) else { return }
        defer { FileSystem.closeFile(fd) }
        if let warning = try quarantineTornTail(fd, relative: relative) { report.warnings.append(warning) }
        let size = try FileSystem.fileSize(fd, path: full)
        let file = RecordFile(bytes: try FileSystem.readBytes(fd, count: size, at: 0, path: full))
        report.warnings += file.warnings(file: relative, corruptedAction: "kept verbatim by compaction")
        let last = file.lastLineByID
        var output: [UInt8] = []
        var removed = 0
        for (index, line) in file.lines.enumerated() {
            let keep = line.problem != nil || line.record.map { last[$0.id] == index } ?? false
            if keep {
                output += file.bytes[line.range]
                output.append(0x0A)
            } else {
                removed += 1
            }
        }
        guard removed > 0 else { return }
        let hook = hooks.withLock { $0.beforeCompactionRename }
        try FileSystem.writeAtomically(full, output, beforeRename: { try hook?($0) })
        report.rewrittenFiles.append(relative)
        report.removedLines += removed
    }
}
