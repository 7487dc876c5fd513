import Memory

/// The system prompts and the first user messages of the model-driven phases.
enum Prompts {
    static let research = """
        You are the research phase of raaid, a coding agent. Understand the code that matters for the task \
        and record it; do not change anything (your tools are read-only, plus memory tools). Start from the \
        engine's findings below, read the most relevant files, and record what a person implementing the task \
        needs: key facts (record_fact), key snippets with line ranges (record_snippet), related files \
        (record_related_file). Finish with research_note: a short Markdown note (what the task is about, where \
        to change what, how to verify). Then answer with a one-paragraph summary and stop.
        """

    static let planning = """
        You are the planning phase of raaid, a coding agent. Turn the task into a short ordered plan of \
        checkable tasks, using the research below and read-only tools if you must check something. Each task: \
        a title, why it is needed, concrete steps, the files it touches, and how to verify it. Prefer 1 to 6 \
        tasks. Call submit_plan exactly once with the plan; do not write code.
        """

    static let implementation = """
        You are the implementation phase of raaid, a coding agent. Carry out ONE task of the plan in the \
        workspace: read what you need, edit files with edit_file (exact-match replacement) or write_file, and \
        run commands or tests when allowed. Keep changes minimal and focused on this task. When the task is \
        done, answer with a short summary of what you changed and how you verified it, and stop.
        """

    static let submitPlan = ToolDefinition(
        name: "submit_plan",
        description: "Submit the ordered plan. Call exactly once, at the end of planning.",
        inputSchema: [
            "type": "object",
            "required": ["tasks"],
            "properties": [
                "summary": ["type": "string", "description": "One sentence: the approach."],
                "tasks": [
                    "type": "array", "minItems": 1,
                    "items": [
                        "type": "object", "required": ["title", "steps"],
                        "properties": [
                            "title": ["type": "string"], "why": ["type": "string"],
                            "steps": ["type": "array", "items": ["type": "string"]],
                            "files": ["type": "array", "items": ["type": "string"]],
                            "verify": ["type": "string", "description": "How to check the task is done."],
                        ],
                    ],
                ],
            ],
        ])

    /// What memory holds for the task: research notes, related files, facts and snippets, newest last.
    static func memoryBrief(_ records: [MemoryRecord], limit: Int = 12_000) -> String {
        var sections: [String] = []
        let notes = records.filter { $0.kind == .researchNote }.suffix(2).compactMap { $0.data["text"]?.stringValue }
        if !notes.isEmpty { sections.append("## Research notes\n\n" + notes.joined(separator: "\n\n")) }
        let files = records.filter { $0.kind == .relatedFile }.suffix(12).compactMap { record -> String? in
            guard let path = record.data["path"]?.stringValue else { return nil }
            return "- \(path)" + (record.data["why"]?.stringValue.map { ": \($0)" } ?? "")
        }
        if !files.isEmpty { sections.append("## Related files\n\n" + files.joined(separator: "\n")) }
        let facts = records.filter { $0.kind == .fact }.suffix(15).compactMap { $0.data["text"]?.stringValue }
        if !facts.isEmpty { sections.append("## Facts\n\n" + facts.map { "- \($0)" }.joined(separator: "\n")) }
        let snippets = records.filter { $0.kind == .snippet }.suffix(5).compactMap { record -> String? in
            guard let path = record.data["path"]?.stringValue, let text = record.data["text"]?.stringValue else { return nil }
            let start = record.data["start_line"]?.intValue ?? 1
            return "`\(path):\(start)`\n```\n\(text)\n```"
        }
        if !snippets.isEmpty { sections.append("## Key snippets\n\n" + snippets.joined(separator: "\n\n")) }
        let brief = sections.joined(separator: "\n\n")
        return brief.count > limit ? String(brief.prefix(limit)) + "\n[… trimmed]" : brief
    }
}
