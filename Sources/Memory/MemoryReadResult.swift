/// Records read from memory, with the problems met on the way.
public struct MemoryReadResult: Sendable, Equatable {
    /// The records, ordered by time then id.
    public var records: [MemoryRecord]
    /// Torn or corrupted lines that were skipped.
    public var warnings: [MemoryWarning]

    /// Creates a result.
    public init(records: [MemoryRecord], warnings: [MemoryWarning]) {
        self.records = records
        self.warnings = warnings
    }
}
