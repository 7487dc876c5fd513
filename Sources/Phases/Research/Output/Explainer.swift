/// Turns ranking evidence into short human sentences.
enum Explainer {
    /// Why a file was ranked, e.g. "defines `Foo` (named in the task); path matches foo, bar; mentions baz".
    static func why(_ s: Ranker.Scored) -> String {
        var parts: [String] = []
        if !s.defines.isEmpty {
            let names = s.defines.prefix(3).map { "`\($0.spelling)`" }.joined(separator: ", ")
            parts.append("defines \(names) (named in the task)")
        }
        let extended = s.extends.map(\.spelling).filter { n in !s.defines.contains { $0.spelling == n } }
        if !extended.isEmpty {
            parts.append("extends " + unique(extended).prefix(3).map { "`\($0)`" }.joined(separator: ", "))
        }
        let path = concise(s.pathTerms)
        if !path.isEmpty { parts.append("path matches " + path.prefix(3).joined(separator: ", ")) }
        let others = concise(s.matchedTerms.map(\.0)).filter { t in !s.pathTerms.contains { $0.contains(t) } }
        if !others.isEmpty { parts.append("mentions " + others.prefix(3).joined(separator: ", ")) }
        if let ref = s.referencedBy { parts.append("used by \(ref)") }
        if let twin = s.parallelTo { parts.append("parallel to \(twin)") }
        return parts.isEmpty ? "weak lexical match" : parts.joined(separator: "; ")
    }

    /// Facts worth keeping: languages, commands, entry points and where named symbols are defined.
    static func facts(project: ProjectFacts, query: QueryTerms, ranked: [Ranker.Scored], corpus: CorpusIndex)
        -> [String]
    {
        var out: [String] = []
        if !project.languages.isEmpty {
            let langs = project.languages.prefix(4).map { "\($0.name) (\($0.files) files)" }.joined(separator: ", ")
            out.append("Languages: \(langs).")
        }
        if !project.buildCommands.isEmpty {
            out.append("Build with `\(project.buildCommands.joined(separator: "`, `"))`.")
        }
        if !project.testCommands.isEmpty {
            out.append("Test with `\(project.testCommands.joined(separator: "`, `"))`.")
        }
        if !project.entryPoints.isEmpty {
            out.append("Entry points: \(project.entryPoints.prefix(5).joined(separator: ", ")).")
        }
        for d in namedDefinitions(ranked: ranked, corpus: corpus) {
            out.append("The task names `\(d.name)`, defined in \(d.path):\(d.line).")
        }
        for m in undefinedNames(query: query, ranked: ranked).prefix(3) {
            out.append("The task names `\(m)`, which no file defines yet.")
        }
        return out
    }

    /// Where the names the task uses are defined, in rank order of the defining files, one entry per name.
    static func namedDefinitions(ranked: [Ranker.Scored], corpus: CorpusIndex, limit: Int = 20)
        -> [ResearchNote.Definition]
    {
        var out: [ResearchNote.Definition] = []
        var named: Set<String> = []
        for s in ranked.prefix(limit) {
            for d in s.defines where named.insert(d.spelling).inserted {
                let why = d.spelling.contains(" ") ? "the task says \"\(d.spelling)\"" : "named in the task"
                out.append(.init(name: d.spelling, path: corpus.files[s.file].path, line: d.line, why: why))
            }
        }
        return out
    }

    /// Names written like code in the task that no ranked file defines (likely new).
    static func undefinedNames(query: QueryTerms, ranked: [Ranker.Scored]) -> [String] {
        var defined: Set<String> = []
        for s in ranked { for d in s.defines + s.extends { defined.insert(d.spelling) } }
        var out: [String] = []
        for sym in query.symbols
        where sym.strong && TaskQuery.isCodeLike(sym.spelling) && !defined.contains(sym.spelling)
            && !out.contains(sym.spelling)
        {
            out.append(sym.spelling)
        }
        return out
    }

    /// Key definitions for the note: the named ones first, then the definitions the snippets show.
    static func keyDefinitions(named: [ResearchNote.Definition], snippets: [KeySnippet]) -> [ResearchNote.Definition] {
        var out = named
        for s in snippets {
            guard let name = s.symbol, !out.contains(where: { $0.path == s.path && $0.line == s.startLine }) else {
                continue
            }
            out.append(.init(name: name, path: s.path, line: s.startLine, why: s.why))
        }
        return out
    }

    /// Distinct terms, dropping those that are part of a longer listed term (`memorystore` covers `memory`, `store`).
    private static func concise(_ xs: [String]) -> [String] {
        let u = unique(xs)
        return u.filter { t in !u.contains { $0 != t && $0.count > t.count && $0.contains(t) } }
    }

    private static func unique(_ xs: [String]) -> [String] {
        var seen: Set<String> = []
        return xs.filter { seen.insert($0).inserted }
    }
}
