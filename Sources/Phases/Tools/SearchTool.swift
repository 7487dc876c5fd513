import Memory

/// `search`: lines matching a regular expression, across the workspace or one file.
public struct SearchTool: Tool {
    /// Matching lines shown per file.
    public var maximumPerFile = 20
    /// Matching lines shown in total.
    public var maximumTotal = 200
    /// Characters shown per line.
    public var maximumLineLength = 300
    /// Root-relative paths always left out (the memory directory).
    public var excludedPaths: [String]

    /// Creates the tool.
    public init(excludedPaths: [String] = [".raaid"]) {
        self.excludedPaths = excludedPaths
    }

    public var access: ToolAccess { .read }

    public var definition: ToolDefinition {
        ToolDefinition(
            name: "search",
            description: """
                Search file contents for a regular expression (Swift Regex syntax, close to PCRE: `\\bfoo\\(`, \
                `func \\w+Error`, `^import`). Prints `path:line: text` for each matching line, optionally with \
                context lines. Skips .gitignore'd, binary and >1 MiB files. At most \(maximumPerFile) lines per \
                file and \(maximumTotal) in total; narrow with `path` or `glob` when there are more.
                """,
            inputSchema: JSONSchema.object(
                [
                    ("pattern", JSONSchema.string("Regular expression to look for in each line.")),
                    ("path", JSONSchema.string("File or directory to search (default: the workspace root).")),
                    ("glob", JSONSchema.string("Only files matching this glob, e.g. `*.swift` or `src/**/*.ts`.")),
                    ("fixed_string", JSONSchema.boolean("Treat the pattern as literal text (default false).")),
                    ("case_insensitive", JSONSchema.boolean("Ignore case (default false).")),
                    (
                        "context_lines",
                        JSONSchema.integer(
                            "Lines of context around each match (default 0).",
                            minimum: 0, maximum: 10)
                    ),
                ], required: ["pattern"]))
    }

    public func run(_ input: JSONValue, context: ToolContext) async throws -> ToolOutput {
        let pattern = input["pattern"]?.stringValue ?? ""
        guard !pattern.isEmpty else { throw ToolError.invalidInput("search: \"pattern\" must not be empty") }
        let fixed = input["fixed_string"]?.boolValue ?? false
        let caseInsensitive = input["case_insensitive"]?.boolValue ?? false
        do {
            _ = try Regex(fixed ? Self.escape(pattern) : pattern)
        } catch {
            throw ToolError.invalidInput(
                "search: \"pattern\" is not a valid regular expression (\(error)); set fixed_string to search literal text"
            )
        }
        let resolved = try context.workspace.resolve(input["path"]?.stringValue ?? ".")
        guard let kind = FileIO.kind(resolved.absolute) else { throw ToolError.notFound(name, resolved.relative) }
        let glob = input["glob"]?.stringValue.map(GlobPattern.init)
        let contextLines = input["context_lines"]?.intValue ?? 0
        let root = context.workspace.path
        let excluded = excludedPaths
        let settings = self
        let shouldStop = context.isCancelled
        return try await BlockingWork.run {
            var regex = try Regex(fixed ? Self.escape(pattern) : pattern).anchorsMatchLineEndings()
            if caseInsensitive { regex = regex.ignoresCase() }
            var files: [String]
            if kind.kind == .directory {
                var options = WalkOptions()
                options.excludedPaths = excluded
                let walked = try WorkspaceWalker(root: root, options: options).walk(shouldCancel: shouldStop)
                let prefix = resolved.relative == "." ? "" : resolved.relative + "/"
                files = walked.files.map(\.path).filter { $0.hasPrefix(prefix) }
                if let glob { files = files.filter { glob.matches(String($0.dropFirst(prefix.count))) } }
            } else {
                files = [resolved.relative]
            }
            var scan = SearchScan(
                regex: regex, contextLines: contextLines, perFile: settings.maximumPerFile,
                total: settings.maximumTotal, lineLength: settings.maximumLineLength)
            for path in files {
                if shouldStop() { throw CancellationError() }
                guard let bytes = SmallFileReader.contents(path: root + "/" + path, limit: 1 << 20),
                    !FileIO.isBinary(bytes)
                else { continue }
                scan.scan(path: path, text: String(decoding: bytes, as: UTF8.self))
            }
            return scan.output(pattern: pattern, filesSearched: files.count)
        }
    }

    /// `text` with every regex metacharacter escaped.
    static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            if "\\^$.|?*+()[]{}/-".contains(character) { result.append("\\") }
            result.append(character)
        }
        return result
    }
}

/// Collects matching lines, with caps, for ``SearchTool``.
struct SearchScan {
    let regex: Regex<AnyRegexOutput>
    let contextLines: Int
    let perFile: Int
    let total: Int
    let lineLength: Int
    private(set) var shown = 0
    private(set) var matched = 0
    private(set) var filesMatched = 0
    private var blocks: [String] = []
    private var cutFiles = 0

    init(regex: Regex<AnyRegexOutput>, contextLines: Int, perFile: Int, total: Int, lineLength: Int) {
        self.regex = regex
        self.contextLines = contextLines
        self.perFile = perFile
        self.total = total
        self.lineLength = lineLength
    }

    mutating func scan(path: String, text: String) {
        guard text.firstMatch(of: regex) != nil else { return }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var hits: [Int] = []
        for (index, line) in lines.enumerated() where line.firstMatch(of: regex) != nil {
            hits.append(index)
        }
        guard !hits.isEmpty else { return }
        filesMatched += 1
        matched += hits.count
        let room = max(0, min(perFile, total - shown))
        let kept = Array(hits.prefix(room))
        if kept.count < hits.count { cutFiles += 1 }
        shown += kept.count
        guard !kept.isEmpty else { return }
        var output: [String] = []
        var lastPrinted = -1
        let hitSet = Set(kept)
        for hit in kept {
            let from = max(0, hit - contextLines, lastPrinted + 1)
            let to = min(lines.count - 1, hit + contextLines)
            if contextLines > 0 && lastPrinted >= 0 && from > lastPrinted + 1 { output.append("--") }
            guard from <= to else { continue }
            for index in from...to {
                let separator = hitSet.contains(index) ? ":" : "-"
                output.append("\(path)\(separator)\(index + 1)\(separator) \(cut(lines[index]))")
            }
            lastPrinted = to
        }
        if kept.count < hits.count {
            output.append("\(path): … [\(hits.count - kept.count) more matching lines in this file]")
        }
        blocks.append(output.joined(separator: "\n"))
    }

    private func cut(_ line: Substring) -> String {
        var line = line
        if line.hasSuffix("\r") { line = line.dropLast() }
        return line.count > lineLength ? line.prefix(lineLength) + " …" : String(line)
    }

    func output(pattern: String, filesSearched: Int) -> ToolOutput {
        let metadata: JSONObject = [
            "matches": .from(matched), "files_matched": .from(filesMatched), "files_searched": .from(filesSearched),
        ]
        guard matched > 0 else {
            return ToolOutput(
                text: "No matches for /\(pattern)/ in \(filesSearched) files.", metadata: metadata)
        }
        var text = blocks.joined(separator: contextLines > 0 ? "\n--\n" : "\n")
        let truncated = shown < matched
        if truncated {
            text +=
                "\n… [\(shown) of \(matched) matching lines shown, in \(filesMatched) files; "
                + "narrow the pattern, path or glob]"
        }
        return ToolOutput(
            text: text, truncated: truncated, fullTextLength: truncated ? text.count + 1 : text.count,
            metadata: metadata)
    }
}
