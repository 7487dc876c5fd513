/// Tunables for a ``ResearchEngine`` run.
public struct ResearchOptions: Sendable {
    /// How many related files to return, best first.
    public var maxRelatedFiles = 10
    /// How many key snippets to return.
    public var maxSnippets = 5
    /// An existing directory where the per-file index cache is kept; `nil` disables the cache.
    public var cacheDirectory: String? = nil
    /// Options passed to the workspace walker.
    public var walkOptions = WalkOptions()
    /// How many threads tokenize files in parallel.
    public var threads = 2

    /// Creates options with the defaults.
    public init() {}
}
