import Memory

/// The memory tools (`record_fact`, `record_snippet`, `record_related_file`, `research_note`): each writes one
/// session-scoped ``MemoryRecord`` with the context's session, run and phase.
///
/// Record data uses the same keys as the built-in research engine's records (`text`; `path`, `start_line`,
/// `end_line`, `text`, `why`; `path`, `score`, `why`), plus `"source": "model"`.
public struct MemoryWriteTool: Tool {
    /// The kind of record written.
    public let kind: MemoryKind
    public let definition: ToolDefinition
    private let makeData: @Sendable (JSONValue, ToolContext) throws -> (JSONObject, String)

    public var access: ToolAccess { .memory }

    private init(
        kind: MemoryKind, definition: ToolDefinition,
        makeData: @escaping @Sendable (JSONValue, ToolContext) throws -> (JSONObject, String)
    ) {
        self.kind = kind
        self.definition = definition
        self.makeData = makeData
    }

    public func run(_ input: JSONValue, context: ToolContext) async throws -> ToolOutput {
        guard let store = context.memory else {
            throw ToolError(code: "unavailable", message: "\(name): memory is not available in this run")
        }
        var (data, summary) = try makeData(input, context)
        data["source"] = "model"
        let record = MemoryRecord(
            kind: kind, data: data, session: context.session, run: context.run, phase: context.phase)
        let stored = try store.append(record)
        return .success(
            "Recorded \(summary) (\(kind.rawValue) \(stored.id)).", metadata: ["memory_written": Self.describe(stored)])
    }

    /// The `memory_written` metadata for a stored record: kind, id, scope and data.
    static func describe(_ record: MemoryRecord) -> JSONValue {
        [
            "kind": .string(record.kind.rawValue), "id": .string(record.id), "scope": .string(record.scope.rawValue),
            "data": .object(record.data),
        ]
    }

    private static func text(_ input: JSONValue, _ key: String, tool: String) throws -> String {
        let value = input[key]?.stringValue ?? ""
        guard !value.allSatisfy(\.isWhitespace) else {
            throw ToolError.invalidInput("\(tool): \"\(key)\" must not be empty")
        }
        return value
    }

    /// `record_fact`: a key fact about the task or the code.
    public static let recordFact = MemoryWriteTool(
        kind: .fact,
        definition: ToolDefinition(
            name: "record_fact",
            description: """
                Record a key fact learned about the code or the task (a convention, a constraint, how something \
                works) so later phases and later runs can use it. One fact per call, one or two sentences.
                """,
            inputSchema: JSONSchema.object(
                [("fact", JSONSchema.string("The fact, self-contained."))], required: ["fact"]))
    ) { input, _ in
        let fact = try text(input, "fact", tool: "record_fact")
        return (["text": .string(fact)], "a fact")
    }

    /// `research_note`: free-form research notes.
    public static let researchNote = MemoryWriteTool(
        kind: .researchNote,
        definition: ToolDefinition(
            name: "research_note",
            description: """
                Write a research note: a summary of what you found, open questions, and what the implementation \
                will need. Markdown is fine. Write it when research is done.
                """,
            inputSchema: JSONSchema.object(
                [("note", JSONSchema.string("The note (Markdown)."))], required: ["note"]))
    ) { input, _ in
        let note = try text(input, "note", tool: "research_note")
        return (["text": .string(note)], "a research note")
    }

    /// `record_related_file`: a file that matters for the task.
    public static let recordRelatedFile = MemoryWriteTool(
        kind: .relatedFile,
        definition: ToolDefinition(
            name: "record_related_file",
            description: "Record a workspace file that matters for the task, with why it matters.",
            inputSchema: JSONSchema.object(
                [
                    ("path", JSONSchema.string("File path relative to the workspace root.")),
                    ("why", JSONSchema.string("Why it matters for the task.")),
                    ("score", JSONSchema.number("Relevance from 0 to 1 (default 0.5).", minimum: 0)),
                ], required: ["path", "why"]))
    ) { input, context in
        let resolved = try context.workspace.resolve(input["path"]?.stringValue ?? "")
        guard FileIO.kind(resolved.absolute) != nil else {
            throw ToolError.notFound("record_related_file", resolved.relative)
        }
        let why = try text(input, "why", tool: "record_related_file")
        let score = min(1, input["score"]?.doubleValue ?? 0.5)
        return (["path": .string(resolved.relative), "score": .double(score), "why": .string(why)], resolved.relative)
    }

    /// `record_snippet`: a range of lines of a file, with why it matters; the text is read from the file.
    public static let recordSnippet = MemoryWriteTool(
        kind: .snippet,
        definition: ToolDefinition(
            name: "record_snippet",
            description: """
                Record a key code snippet: a file and a line range (at most 80 lines) with why it matters. The text \
                is read from the file, so give accurate line numbers (see read_file's numbering).
                """,
            inputSchema: JSONSchema.object(
                [
                    ("path", JSONSchema.string("File path relative to the workspace root.")),
                    ("start_line", JSONSchema.integer("First line, 1-based.", minimum: 1)),
                    ("end_line", JSONSchema.integer("Last line, inclusive.", minimum: 1)),
                    ("why", JSONSchema.string("Why this code matters for the task.")),
                    ("symbol", JSONSchema.string("The main symbol it defines, if any.")),
                ], required: ["path", "start_line", "end_line", "why"]))
    ) { input, context in
        let tool = "record_snippet"
        let resolved = try context.workspace.resolve(input["path"]?.stringValue ?? "")
        let bytes = try FileIO.readFile(resolved.absolute, display: resolved.relative, tool: tool, limit: 8 << 20)
        guard !FileIO.isBinary(bytes) else {
            throw ToolError(code: "binary_file", message: "\(tool): '\(resolved.relative)' is a binary file")
        }
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let start = input["start_line"]?.intValue ?? 1
        let end = input["end_line"]?.intValue ?? start
        guard end >= start, end - start < 80 else {
            throw ToolError.invalidInput("\(tool): the range must be 1 to 80 lines with end_line ≥ start_line")
        }
        guard end <= lines.count else {
            throw ToolError.invalidInput("\(tool): '\(resolved.relative)' has \(lines.count) lines; end_line is \(end)")
        }
        let text = lines[(start - 1)..<end].joined(separator: "\n")
        let why = try Self.text(input, "why", tool: tool)
        let data: JSONObject = [
            "path": .string(resolved.relative), "start_line": .from(start), "end_line": .from(end),
            "symbol": .from(input["symbol"]?.stringValue), "text": .string(String(text.prefix(8000))),
            "why": .string(why),
        ]
        return (data, "\(resolved.relative):\(start)-\(end)")
    }
}
