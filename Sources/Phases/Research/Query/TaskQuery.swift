/// A task text split into the parts that matter for retrieval.
///
/// The first non-empty line is the title. Fenced code blocks, inline code spans and stack-trace-looking lines are
/// kept apart from prose; identifiers written like code (backticks, camelCase, snake_case, `Type.member`) become
/// ``namedSymbols``.
struct TaskQuery: Sendable, Equatable {
    /// First non-empty line, without Markdown heading marks.
    var title = ""
    /// Prose lines (title excluded), with inline code removed.
    var prose: [String] = []
    /// Contents of fenced code blocks.
    var codeBlocks: [String] = []
    /// Contents of inline code spans.
    var inlineCode: [String] = []
    /// Lines that look like stack-trace frames or compiler diagnostics.
    var traceLines: [String] = []
    /// Identifiers written like code, original spelling, in order of first appearance.
    var namedSymbols: [String] = []
    /// Capitalized words from prose that may name types (weaker evidence), original spelling.
    var capitalizedWords: [String] = []
    /// File names or paths mentioned in the task (`Foo.swift`, `src/a/b.py`).
    var mentionedFiles: [String] = []
    /// Names implied by shorthand such as `Rigid/UniqueArray` or `Rigid and UniqueArray` (→ `RigidArray`):
    /// siblings of a named type that share its trailing (or leading) parts.
    var siblingSymbols: [String] = []

    /// Parses `text`.
    init(_ text: String) {
        var inFence = false
        var block: [String] = []
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(raw)
            let trimmed = TaskQuery.trim(line)
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                if inFence {
                    codeBlocks.append(block.joined(separator: "\n"))
                    block.removeAll()
                }
                inFence.toggle()
                continue
            }
            if inFence {
                block.append(line)
                noteSymbols(inCode: line)
                continue
            }
            if trimmed.isEmpty { continue }
            if TaskQuery.isNoise(trimmed) { continue }
            if TaskQuery.looksLikeTrace(trimmed) {
                traceLines.append(trimmed)
                noteSymbols(inCode: trimmed)
                continue
            }
            let (plain, spans) = TaskQuery.extractInlineCode(trimmed)
            for span in spans {
                inlineCode.append(span)
                noteSymbols(inCode: span, strong: true)
            }
            noteSymbols(inProse: plain)
            for name in TaskQuery.siblingNames(plain) + spans.flatMap({ TaskQuery.siblingNames($0) })
            where !siblingSymbols.contains(name) && !namedSymbols.contains(name) {
                siblingSymbols.append(name)
            }
            if title.isEmpty {
                title = TaskQuery.stripHeading(trimmed)
            } else {
                prose.append(plain)
            }
        }
        if inFence, !block.isEmpty { codeBlocks.append(block.joined(separator: "\n")) }
    }

    // MARK: - Symbols

    private mutating func noteSymbols(inCode text: String, strong: Bool = false) {
        for word in TaskQuery.words(text, allowDots: true) {
            noteFile(word)
            for part in word.split(whereSeparator: { $0 == "." || $0 == "/" }) where part.count >= 2 {
                let s = String(part)
                guard s.first.map({ $0.isLetter || $0 == "_" }) ?? false else { continue }
                if strong || TaskQuery.isCodeLike(s) { addSymbol(s) }
            }
        }
    }

    private mutating func noteSymbols(inProse text: String) {
        let all = TaskQuery.words(text, allowDots: true)
        // In Title Case lines capital letters say nothing about type names.
        let capitals = all.filter { $0.first?.isUppercase == true }.count
        let titleCase = all.count >= 3 && capitals * 2 > all.count
        for word in all {
            noteFile(word)
            let isPath = word.contains("/") && mentionedFiles.contains(word)
            // `a/b` lists alternatives (or path segments); `a.b` is a member access.
            for segment in word.split(separator: "/") {
                let parts = segment.split(separator: ".").map(String.init)
                let dotted = parts.count >= 2 && parts.allSatisfy { $0.first!.isLetter || $0.first == "_" }
                for s in parts where s.count >= 2 {
                    if TaskQuery.isCodeLike(s) || (dotted && s.first!.isLetter) {
                        addSymbol(s)
                    } else if !titleCase, !isPath, s.first!.isUppercase, s.count >= 3,
                        !StopWords.contains(s.lowercased()), !capitalizedWords.contains(s)
                    {
                        capitalizedWords.append(s)
                    }
                }
            }
        }
    }

    private mutating func addSymbol(_ s: String) {
        if !namedSymbols.contains(s), !StopWords.contains(s.lowercased()) || TaskQuery.isCodeLike(s) {
            namedSymbols.append(s)
        }
    }

    private mutating func noteFile(_ word: String) {
        guard let dot = word.lastIndex(of: "."), word.index(after: dot) < word.endIndex else { return }
        let ext = String(word[word.index(after: dot)...])
        if SourceLanguage.of(path: "x." + ext)?.isCode == true, !mentionedFiles.contains(word) {
            mentionedFiles.append(word)
        }
    }
}
