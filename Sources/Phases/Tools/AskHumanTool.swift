import Memory

/// `ask_human`: asks a person through the context's ``HumanChannel``; answers are recorded in memory.
public struct AskHumanTool: Tool {
    /// Creates the tool.
    public init() {}

    public var access: ToolAccess { .human }

    public var definition: ToolDefinition {
        ToolDefinition(
            name: "ask_human",
            description: """
                Ask the person who gave you the task a question, only when you cannot proceed sensibly without \
                their decision (an ambiguous requirement, a risky or irreversible choice). Give a short stable id \
                (e.g. `db-choice`) and, when useful, options. The human may not be available: then the output says \
                so and you must decide yourself and state your assumption.
                """,
            inputSchema: JSONSchema.object(
                [
                    ("question", JSONSchema.string("The question, self-contained.")),
                    ("id", JSONSchema.string("A short stable id for the question, in kebab-case.")),
                    ("options", JSONSchema.strings("Suggested answers, if the choice is among a few.")),
                ], required: ["question"]))
    }

    public func run(_ input: JSONValue, context: ToolContext) async throws -> ToolOutput {
        let text = input["question"]?.stringValue ?? ""
        guard !text.allSatisfy(\.isWhitespace) else {
            throw ToolError.invalidInput("ask_human: \"question\" must not be empty")
        }
        let question = HumanQuestion(
            id: input["id"]?.stringValue, text: text,
            options: input["options"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        try context.checkCancellation()
        let reply = try await context.human.ask(question)
        var metadata: JSONObject = ["question": .string(text), "question_id": .from(question.id)]
        switch reply {
        case .answered(let answer, let source):
            metadata["answered"] = true
            metadata["source"] = .string(source)
            if let store = context.memory {
                let record = MemoryRecord(
                    kind: .answer,
                    data: [
                        "question": .string(text), "question_id": .from(question.id), "answer": .string(answer),
                        "source": .string(source),
                    ],
                    session: context.session, run: context.run, phase: context.phase)
                let stored = try store.append(record)
                metadata["memory_written"] = MemoryWriteTool.describe(stored)
            }
            return .success("The human answered: \(answer)", metadata: metadata)
        case .declined(let reason):
            metadata["answered"] = false
            return .success("No answer. \(reason)", metadata: metadata)
        }
    }
}
