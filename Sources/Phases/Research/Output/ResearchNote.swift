/// Renders the short Markdown research note.
struct ResearchNote {
    let task: TaskQuery
    let project: ProjectFacts
    let related: [RelatedFile]
    let snippets: [KeySnippet]
    let facts: [String]

    /// The note text.
    func markdown() -> String {
        var md = "# Research: \(task.title.isEmpty ? "task" : task.title)\n\n"
        let symbols = (task.namedSymbols + task.mentionedFiles).prefix(8)
        if !symbols.isEmpty {
            md += "The task is about " + symbols.map { "`\($0)`" }.joined(separator: ", ") + ".\n\n"
        }
        if !related.isEmpty {
            md += "## Where to look\n\n"
            for (i, f) in related.prefix(5).enumerated() {
                md += "\(i + 1). `\(f.path)` — \(f.why)\n"
            }
            md += "\n"
        }
        if !snippets.isEmpty {
            md += "## Start reading at\n\n"
            for s in snippets.prefix(3) {
                let sym = s.symbol.map { " (`\($0)`)" } ?? ""
                md += "- `\(s.path):\(s.startLine)-\(s.endLine)`\(sym): \(s.why)\n"
            }
            md += "\n"
        }
        if !facts.isEmpty {
            md += "## Facts\n\n"
            for f in facts { md += "- \(f)\n" }
            md += "\n"
        }
        md += "## Next steps\n\n"
        if let first = related.first { md += "- Read `\(first.path)` and the snippets above before editing.\n" }
        if let test = project.testCommands.first { md += "- Run `\(test)` before and after the change.\n" }
        if let build = project.buildCommands.first, project.testCommands.isEmpty {
            md += "- Build with `\(build)` after the change.\n"
        }
        return md
    }
}
