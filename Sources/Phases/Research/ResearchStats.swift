/// Counters describing the work a research run did.
public struct ResearchStats: Sendable, Equatable {
    /// Files the walker returned.
    public var filesSeen: Int
    /// Files tokenized from disk in this run.
    public var filesIndexed: Int
    /// Files whose index came from the cache.
    public var filesFromCache: Int
    /// Bytes read from workspace files for indexing and snippets.
    public var bytesRead: Int64
    /// Files skipped, by reason (walker reasons plus `binary`, `unsupported`).
    public var skipped: [String: Int]
    /// Wall-clock duration of the run in milliseconds.
    public var durationMs: Int

    /// Creates stats.
    public init(
        filesSeen: Int = 0, filesIndexed: Int = 0, filesFromCache: Int = 0, bytesRead: Int64 = 0,
        skipped: [String: Int] = [:], durationMs: Int = 0
    ) {
        self.filesSeen = filesSeen
        self.filesIndexed = filesIndexed
        self.filesFromCache = filesFromCache
        self.bytesRead = bytesRead
        self.skipped = skipped
        self.durationMs = durationMs
    }
}
