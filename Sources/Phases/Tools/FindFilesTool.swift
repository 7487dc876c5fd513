import Memory

/// `find_files`: paths matching a glob.
public struct FindFilesTool: Tool {
    /// Results shown at most.
    public var maximumResults = 200
    /// Entries visited at most before the search gives up.
    public var maximumVisited = 200_000
    /// Root-relative paths always left out (the memory directory).
    public var excludedPaths: [String]

    /// Creates the tool.
    public init(excludedPaths: [String] = [".raaid"]) {
        self.excludedPaths = excludedPaths
    }

    public var access: ToolAccess { .read }

    public var definition: ToolDefinition {
        ToolDefinition(
            name: "find_files",
            description: """
                Find files whose path matches a glob. `*` matches within one path component, `**` across \
                directories, `?` one character, `{a,b}` alternatives, `[abc]` a set. A pattern without `/` matches \
                file names at any depth (`*.swift`); with `/` it matches the path from the search directory \
                (`Sources/**/*Tests.swift`). .gitignore'd files are skipped. At most \(maximumResults) paths, sorted.
                """,
            inputSchema: JSONSchema.object(
                [
                    ("pattern", JSONSchema.string("The glob, e.g. `**/*.{ts,tsx}` or `Package.swift`.")),
                    ("path", JSONSchema.string("Directory to search, relative to the workspace root (default: root).")),
                    ("include_directories", JSONSchema.boolean("Also return matching directories (default false).")),
                ], required: ["pattern"]))
    }

    public func run(_ input: JSONValue, context: ToolContext) async throws -> ToolOutput {
        let pattern = input["pattern"]?.stringValue ?? ""
        guard !pattern.isEmpty else { throw ToolError.invalidInput("find_files: \"pattern\" must not be empty") }
        let glob = GlobPattern(pattern)
        let resolved = try context.workspace.resolve(input["path"]?.stringValue ?? ".")
        guard FileIO.kind(resolved.absolute)?.kind == .directory else {
            throw ToolError(
                code: "not_a_directory", message: "find_files: '\(resolved.relative)' is not a directory")
        }
        let includeDirectories = input["include_directories"]?.boolValue ?? false
        let lister = TreeLister(root: context.workspace.path, excludedPaths: excludedPaths)
        let base = resolved.relative == "." ? "" : resolved.relative + "/"
        var matches: [String] = []
        var matchCount = 0
        var visited = 0
        try lister.walk(
            from: resolved.relative, maxDepth: Int.max, shouldCancel: { context.shouldStop },
            visit: { entry in
                visited += 1
                if entry.isDirectory && !includeDirectories { return visited < maximumVisited }
                let relative = String(entry.path.dropFirst(base.count))
                if glob.matches(relative) {
                    matchCount += 1
                    if matches.count < maximumResults { matches.append(entry.path + (entry.isDirectory ? "/" : "")) }
                }
                return visited < maximumVisited
            })
        let incomplete = visited >= maximumVisited
        var text: String
        if matches.isEmpty {
            text =
                "No files match '\(pattern)' in \(resolved.relative == "." ? "the workspace" : "'\(resolved.relative)'")."
            if !pattern.contains("/") && !pattern.contains("*") {
                text += " The pattern matches whole file names; try '*\(pattern)*'."
            }
        } else {
            text = matches.joined(separator: "\n")
        }
        let truncated = matchCount > matches.count || incomplete
        if matchCount > matches.count {
            text += "\n… [\(matches.count) of \(matchCount) matches shown; narrow the pattern or the path]"
        }
        if incomplete { text += "\n… [search stopped after \(maximumVisited) entries; narrow the path]" }
        return ToolOutput(
            text: text, truncated: truncated, fullTextLength: truncated ? text.count + 1 : text.count,
            metadata: ["matches": .from(matchCount)])
    }
}
