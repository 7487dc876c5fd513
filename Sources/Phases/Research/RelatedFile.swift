/// A workspace file judged relevant to the task.
public struct RelatedFile: Sendable, Equatable {
    /// Workspace-relative, `/`-separated path.
    public var path: String
    /// Relevance score; only the order is meaningful.
    public var score: Double
    /// Human-readable reason, e.g. "defines `Foo` (named in the task); path matches foo".
    public var why: String

    /// Creates a related file entry.
    public init(path: String, score: Double, why: String) {
        self.path = path
        self.score = score
        self.why = why
    }
}
