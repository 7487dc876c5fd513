import Memory

/// What a tool call returns to the model, plus facts for events.
public struct ToolOutput: Sendable, Equatable {
    /// The text the model sees (already capped by the tool).
    public var text: String
    /// Whether the call failed; the text then says why and how to fix the call.
    public var isError: Bool
    /// Whether ``text`` was shortened.
    public var truncated: Bool
    /// Length in characters of the text before shortening (equal to `text.count` when not truncated).
    public var fullTextLength: Int
    /// Machine facts for events: `file_change` (`path`, `op`, `lines_added`, `lines_removed`), `exit_code`,
    /// `memory_written` (`kind`, `id`, `scope`), `error_code`, …
    public var metadata: JSONObject

    /// Creates an output; `fullTextLength` defaults to the length of `text`.
    public init(
        text: String, isError: Bool = false, truncated: Bool = false, fullTextLength: Int? = nil,
        metadata: JSONObject = [:]
    ) {
        self.text = text
        self.isError = isError
        self.truncated = truncated
        self.fullTextLength = fullTextLength ?? text.count
        self.metadata = metadata
    }

    /// A successful output.
    public static func success(_ text: String, metadata: JSONObject = [:]) -> ToolOutput {
        ToolOutput(text: text, metadata: metadata)
    }

    /// A failed call with a machine `code` (also in ``metadata`` as `error_code`).
    public static func failure(_ text: String, code: String, metadata: JSONObject = [:]) -> ToolOutput {
        var metadata = metadata
        metadata["error_code"] = .string(code)
        return ToolOutput(text: text, isError: true, metadata: metadata)
    }

    /// `text` capped to `limit` characters, keeping the head and the tail with a marker between them.
    public static func capped(
        _ text: String, limit: Int, isError: Bool = false, metadata: JSONObject = [:]
    ) -> ToolOutput {
        let full = text.count
        guard full > limit else { return ToolOutput(text: text, isError: isError, metadata: metadata) }
        return ToolOutput(
            text: TextCap.headAndTail(text, limit: limit), isError: isError, truncated: true, fullTextLength: full,
            metadata: metadata)
    }
}

/// Shortening long text for the model.
enum TextCap {
    /// Keeps about two thirds of `limit` from the head and the rest from the tail, at line breaks when close.
    static func headAndTail(_ text: String, limit: Int) -> String {
        let full = text.count
        guard full > limit else { return text }
        let headCount = max(0, limit * 2 / 3)
        let tailCount = max(0, limit - headCount)
        let head = text.prefix(headCount)
        let tail = text.suffix(tailCount)
        let omitted = full - head.count - tail.count
        return "\(head)\n… [\(omitted) characters omitted] …\n\(tail)"
    }
}
