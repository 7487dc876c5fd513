/// What ``MemoryStore/compact()`` did.
public struct MemoryCompactionReport: Sendable, Equatable {
    /// Records files that were rewritten (relative to the memory directory).
    public var rewrittenFiles: [String]
    /// Lines dropped because a later line has the same id (and blank lines).
    public var removedLines: Int
    /// Corrupted lines kept verbatim, and torn tails moved to quarantine.
    public var warnings: [MemoryWarning]

    /// Creates a report.
    public init(rewrittenFiles: [String] = [], removedLines: Int = 0, warnings: [MemoryWarning] = []) {
        self.rewrittenFiles = rewrittenFiles
        self.removedLines = removedLines
        self.warnings = warnings
    }
}
