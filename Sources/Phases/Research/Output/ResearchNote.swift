/// Renders the short Markdown research note: what the task is about, the few places to look and why, the key
/// definitions with `file:line`, and the commands to build and test.
struct ResearchNote {
    /// A definition worth opening, with where it is and why it matters.
    struct Definition: Equatable {
        var name: String
        var path: String
        var line: Int
        var why: String
    }

    let task: TaskQuery
    let project: ProjectFacts
    let related: [RelatedFile]
    let definitions: [Definition]
    /// Names the task uses that no file defines (probably to be added).
    let undefinedNames: [String]

    static let places = 5
    static let maxDefinitions = 6

    /// The note text.
    func markdown() -> String {
        var md = "# Research: \(task.title.isEmpty ? "task" : task.title)\n\n"
        md += about()
        if !related.isEmpty {
            md += "## Where to look\n\n"
            for (i, f) in related.prefix(ResearchNote.places).enumerated() {
                md += "\(i + 1). `\(f.path)`: \(f.why)\n"
            }
            md += "\n"
        }
        if !definitions.isEmpty {
            md += "## Key definitions\n\n"
            for d in definitions.prefix(ResearchNote.maxDefinitions) {
                md += "- `\(d.name)` at `\(d.path):\(d.line)`: \(d.why)\n"
            }
            md += "\n"
        }
        var commands: [String] = []
        if let build = project.buildCommands.first { commands.append("- Build: `\(build)`") }
        if let test = project.testCommands.first { commands.append("- Test: `\(test)`") }
        if !commands.isEmpty { md += "## Commands\n\n" + commands.joined(separator: "\n") + "\n" }
        return md
    }

    /// One or two sentences: the names the task is about, and which of them do not exist yet.
    private func about() -> String {
        var names: [String] = []
        // Identifiers written like code (and file names); plain words from inline code spans add nothing here.
        let symbols = task.namedSymbols.filter { name in
            TaskQuery.isCodeLike(name) || definitions.contains { $0.name == name }
        }
        for s in symbols + task.mentionedFiles where !names.contains(s) { names.append(s) }
        let defined = names.filter { !undefinedNames.contains($0) }.prefix(6)
        var text = ""
        if !defined.isEmpty {
            text += "The task is about " + defined.map { "`\($0)`" }.joined(separator: ", ") + ". "
        }
        let missing = undefinedNames.prefix(4)
        if !missing.isEmpty {
            text += "No file defines (new, or from a dependency): "
            text += missing.map { "`\($0)`" }.joined(separator: ", ") + ". "
        }
        if let lang = project.languages.first {
            text += "Mostly \(lang.name) (\(lang.files) files)."
        }
        return text.isEmpty ? "" : text.trimmingTrailingSpaces() + "\n\n"
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
