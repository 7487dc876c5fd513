import Memory

/// `list_directory`: a directory's tree to a depth, honouring `.gitignore`.
public struct ListDirectoryTool: Tool {
    /// Entries shown at most.
    public var maximumEntries = 500
    /// Deepest depth the model may ask for.
    public var maximumDepth = 8
    /// Root-relative paths always left out (the memory directory).
    public var excludedPaths: [String]

    /// Creates the tool.
    public init(excludedPaths: [String] = [".raaid"]) {
        self.excludedPaths = excludedPaths
    }

    public var access: ToolAccess { .read }

    public var definition: ToolDefinition {
        ToolDefinition(
            name: "list_directory",
            description: """
                List a directory of the workspace as an indented tree (directories end with `/`, symbolic links \
                with `@`). Files ignored by .gitignore and the .git directory are left out. Use a small depth \
                first and list subdirectories as needed; at most \(maximumEntries) entries are shown.
                """,
            inputSchema: JSONSchema.object([
                ("path", JSONSchema.string("Directory relative to the workspace root (default: the root).")),
                ("depth", JSONSchema.integer("Levels to show (default 2).", minimum: 1, maximum: maximumDepth)),
                ("include_ignored", JSONSchema.boolean("Also show files that .gitignore ignores (default false).")),
            ]))
    }

    public func run(_ input: JSONValue, context: ToolContext) async throws -> ToolOutput {
        let resolved = try context.workspace.resolve(input["path"]?.stringValue ?? ".")
        guard let kind = FileIO.kind(resolved.absolute) else { throw ToolError.notFound(name, resolved.relative) }
        guard kind.kind == .directory else {
            throw ToolError(
                code: "not_a_directory",
                message: "list_directory: '\(resolved.relative)' is a file; use read_file to read it")
        }
        let depth = input["depth"]?.intValue ?? 2
        var lister = TreeLister(root: context.workspace.path, excludedPaths: excludedPaths)
        lister.honourIgnores = !(input["include_ignored"]?.boolValue ?? false)
        var lines: [String] = []
        var total = 0
        try lister.walk(
            from: resolved.relative, maxDepth: depth, shouldCancel: { context.shouldStop },
            visit: { entry in
                total += 1
                if lines.count < maximumEntries {
                    let suffix = entry.isSymlink ? "@" : entry.isDirectory ? "/" : ""
                    lines.append(String(repeating: "  ", count: entry.depth - 1) + entry.name + suffix)
                }
                return total <= maximumEntries * 20
            })
        var text = "\(resolved.relative == "." ? "./" : resolved.relative + "/")\n"
        text += lines.map { "  " + $0 }.joined(separator: "\n")
        if lines.isEmpty { text += "  (empty)" }
        let truncated = total > lines.count
        if truncated {
            text +=
                "\n… [\(lines.count) of \(total > maximumEntries * 20 ? "more than \(maximumEntries * 20)" : "\(total)") "
                + "entries shown; list a subdirectory or use a smaller depth]"
        }
        return ToolOutput(
            text: text, truncated: truncated, fullTextLength: truncated ? text.count + 1 : text.count,
            metadata: ["path": .string(resolved.relative), "entries": .from(total)])
    }
}
