/// A refused or failed tool call; the registry turns it into an error ``ToolOutput`` for the model.
public struct ToolError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A machine code: `invalid_input`, `not_found`, `not_a_file`, `binary_file`, `too_large`, `no_match`,
    /// `ambiguous_match`, `io_error`, `unavailable`, `unknown_tool`, `spawn_failed`.
    public var code: String
    /// What went wrong and how to fix the call, for the model.
    public var message: String

    /// Creates an error.
    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    /// The input does not fit the tool's schema.
    public static func invalidInput(_ message: String) -> ToolError {
        ToolError(code: "invalid_input", message: message)
    }
    /// The path does not exist.
    public static func notFound(_ tool: String, _ path: String) -> ToolError {
        ToolError(code: "not_found", message: "\(tool): '\(path)' does not exist")
    }
    /// A system call failed.
    public static func io(_ tool: String, _ what: String, path: String, errno code: Int32) -> ToolError {
        ToolError(code: "io_error", message: "\(tool): cannot \(what) '\(path)': \(SystemError.text(code))")
    }
}
