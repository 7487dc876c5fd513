import Memory

/// `read_file`: a text file, or a range of its lines, with line numbers.
public struct ReadFileTool: Tool {
    /// Largest file read at all, in bytes.
    public var maximumFileBytes = 8 << 20
    /// Lines shown when no range is given (and at most per call).
    public var maximumLines = 2000
    /// Characters shown per line before it is cut.
    public var maximumLineLength = 2000
    /// Characters of output in total.
    public var outputLimit = 100_000

    /// Creates the tool with default caps.
    public init() {}

    public var access: ToolAccess { .read }

    public var definition: ToolDefinition {
        ToolDefinition(
            name: "read_file",
            description: """
                Read a UTF-8 text file in the workspace. Lines are numbered from 1 (`     N\\tline`). Give \
                start_line and end_line (inclusive) to read part of a large file; without them up to \
                \(maximumLines) lines are shown and the output says how to read the rest. Binary files are refused.
                """,
            inputSchema: JSONSchema.object(
                [
                    ("path", JSONSchema.string("File path relative to the workspace root.")),
                    ("start_line", JSONSchema.integer("First line to show, 1-based (default 1).", minimum: 1)),
                    (
                        "end_line",
                        JSONSchema.integer("Last line to show, inclusive (default: end of file).", minimum: 1)
                    ),
                ], required: ["path"]))
    }

    public func run(_ input: JSONValue, context: ToolContext) async throws -> ToolOutput {
        let path = input["path"]?.stringValue ?? ""
        let resolved = try context.workspace.resolve(path)
        let bytes = try FileIO.readFile(
            resolved.absolute, display: resolved.relative, tool: name, limit: maximumFileBytes)
        guard !FileIO.isBinary(bytes) else {
            throw ToolError(
                code: "binary_file",
                message: "read_file: '\(resolved.relative)' is a binary file (\(bytes.count) bytes); it is not shown")
        }
        let content = String(decoding: bytes, as: UTF8.self)
        var lines = content.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        let total = lines.count
        let start = input["start_line"]?.intValue ?? 1
        if let requestedEnd = input["end_line"]?.intValue, requestedEnd < start {
            throw ToolError.invalidInput(
                "read_file: \"end_line\" (\(requestedEnd)) is before \"start_line\" (\(start))")
        }
        if total == 0 { return .success("\(resolved.relative) is empty (0 lines)", metadata: ["lines": 0]) }
        if start > total {
            throw ToolError.invalidInput(
                "read_file: \"start_line\" is \(start) but '\(resolved.relative)' has only \(total) lines")
        }
        var end = input["end_line"]?.intValue ?? total
        end = min(end, total)
        let shownEnd = min(end, start + maximumLines - 1)
        var text = ""
        var lengthCut = false
        for number in start...shownEnd {
            var line = lines[number - 1]
            if line.hasSuffix("\r") { line = line.dropLast() }
            let label = String(number)
            text += String(repeating: " ", count: max(0, 6 - label.count)) + label + "\t"
            if line.count > maximumLineLength {
                text += line.prefix(maximumLineLength) + " … [line cut at \(maximumLineLength) characters]\n"
                lengthCut = true
            } else {
                text += line + "\n"
            }
            if text.count > outputLimit {
                return finish(
                    text, resolved: resolved, start: start, shown: number, end: end, total: total, cut: true,
                    fullLength: content.count)
            }
        }
        return finish(
            text, resolved: resolved, start: start, shown: shownEnd, end: end, total: total, cut: lengthCut,
            fullLength: content.count)
    }

    private func finish(
        _ body: String, resolved: ResolvedPath, start: Int, shown: Int, end: Int, total: Int, cut: Bool,
        fullLength: Int
    ) -> ToolOutput {
        var text = body
        let metadata: JSONObject = [
            "path": .string(resolved.relative), "start_line": .from(start), "end_line": .from(shown),
            "total_lines": .from(total),
        ]
        if shown < end {
            text +=
                "… [showing lines \(start)-\(shown) of \(total); call read_file with start_line \(shown + 1) "
                + "to continue]\n"
        }
        let truncated = shown < end || cut
        return ToolOutput(
            text: text, truncated: truncated, fullTextLength: truncated ? max(fullLength, text.count + 1) : text.count,
            metadata: metadata)
    }
}
