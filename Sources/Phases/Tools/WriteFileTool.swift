import Memory

/// `write_file`: creates or replaces a file with the given content, creating parent directories.
public struct WriteFileTool: Tool {
    /// Largest content accepted, in bytes.
    public var maximumBytes = 4 << 20

    /// Creates the tool.
    public init() {}

    public var access: ToolAccess { .write }

    public var definition: ToolDefinition {
        ToolDefinition(
            name: "write_file",
            description: """
                Create a file, or replace a file's whole content. Missing parent directories are created. Prefer \
                edit_file for changing part of an existing file. Paths are relative to the workspace root.
                """,
            inputSchema: JSONSchema.object(
                [
                    ("path", JSONSchema.string("File path relative to the workspace root.")),
                    ("content", JSONSchema.string("The complete new content of the file.")),
                ], required: ["path", "content"]))
    }

    public func run(_ input: JSONValue, context: ToolContext) async throws -> ToolOutput {
        let resolved = try context.workspace.resolveForWriting(input["path"]?.stringValue ?? "")
        let bytes = Array((input["content"]?.stringValue ?? "").utf8)
        guard bytes.count <= maximumBytes else {
            throw ToolError(
                code: "too_large", message: "write_file: content is \(bytes.count) bytes; the limit is \(maximumBytes)")
        }
        var old: [UInt8] = []
        let existing = FileIO.kind(resolved.absolute)
        if let existing {
            guard existing.kind == .file else {
                throw ToolError(
                    code: "not_a_file", message: "write_file: '\(resolved.relative)' exists and is not a regular file")
            }
            old = try FileIO.readFile(resolved.absolute, display: resolved.relative, tool: name, limit: 64 << 20)
        } else {
            let parent = String(
                resolved.absolute[..<(resolved.absolute.lastIndex(of: "/") ?? resolved.absolute.endIndex)])
            try FileIO.makeDirectories(parent, display: resolved.relative, tool: name)
        }
        try context.checkCancellation()
        try FileIO.writeFile(bytes, to: resolved.absolute, display: resolved.relative, tool: name)
        let stats =
            existing == nil
            ? DiffStats(added: DiffStats.lines(bytes).count, removed: 0)
            : DiffStats.compute(old: old, new: bytes)
        let op = existing == nil ? "create" : "modify"
        let lineCount = DiffStats.lines(bytes).count
        let text =
            existing == nil
            ? "Created \(resolved.relative) (\(lineCount) lines, \(bytes.count) bytes)."
            : "Wrote \(resolved.relative) (\(lineCount) lines; +\(stats.added) -\(stats.removed))."
        return .success(
            text, metadata: ["file_change": DiffStats.fileChange(path: resolved.relative, op: op, stats: stats)])
    }
}
