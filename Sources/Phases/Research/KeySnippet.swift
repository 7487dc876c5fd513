/// A short excerpt of a related file worth reading first.
public struct KeySnippet: Sendable, Equatable {
    /// Workspace-relative path of the file.
    public var path: String
    /// First line of the excerpt (1-based, inclusive).
    public var startLine: Int
    /// Last line of the excerpt (1-based, inclusive).
    public var endLine: Int
    /// The definition the excerpt shows, if any.
    public var symbol: String?
    /// The excerpt text (capped to about 40 lines).
    public var text: String
    /// Why this excerpt was picked.
    public var why: String

    /// Creates a snippet.
    public init(path: String, startLine: Int, endLine: Int, symbol: String?, text: String, why: String) {
        self.path = path
        self.startLine = startLine
        self.endLine = endLine
        self.symbol = symbol
        self.text = text
        self.why = why
    }
}
