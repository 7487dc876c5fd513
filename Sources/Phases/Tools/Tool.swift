import Memory

/// What a tool may touch; ``PermissionPolicy`` decides by it.
public enum ToolAccess: String, Sendable, CaseIterable {
    /// Reads the workspace (list, find, search, read).
    case read
    /// Writes session-scoped memory records.
    case memory
    /// Creates or changes files in the workspace.
    case write
    /// Runs commands.
    case shell
    /// Asks a person.
    case human
}

/// A capability the model can call: a definition it reads, and the code that runs.
///
/// Tools get their input already checked against ``definition``'s schema by ``ToolRegistry/call(_:input:context:)``
/// (see ``ToolInputValidator``). Expected failures (a missing file, an edit that does not match) come back as a
/// ``ToolOutput`` with ``ToolOutput/isError`` set, so the model can fix its call; thrown ``ToolError`` and
/// ``PathEscapeError`` are turned into such outputs by the registry. Only `CancellationError` ends the call.
public protocol Tool: Sendable {
    /// Name, description and JSON Schema, as offered to the model.
    var definition: ToolDefinition { get }
    /// What the tool touches.
    var access: ToolAccess { get }
    /// Runs the tool.
    ///
    /// - Throws: ``ToolError`` or ``PathEscapeError`` for refused calls; `CancellationError` when cancelled.
    func run(_ input: JSONValue, context: ToolContext) async throws -> ToolOutput
}

extension Tool {
    /// The tool's name.
    public var name: String { definition.name }
}
