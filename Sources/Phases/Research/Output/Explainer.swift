/// Turns ranking evidence into short human sentences.
enum Explainer {
    /// Why a file was ranked, e.g. "defines `Foo` (named in the task); path matches foo, bar; mentions baz".
    static func why(_ s: Ranker.Scored) -> String {
        var parts: [String] = []
        if !s.defines.isEmpty {
            let names = s.defines.prefix(3).map { "`\($0.spelling)`" }.joined(separator: ", ")
            parts.append("defines \(names) (named in the task)")
        }
        if !s.pathTerms.isEmpty {
            parts.append("path matches " + unique(s.pathTerms).prefix(4).joined(separator: ", "))
        }
        let others = s.matchedTerms.map(\.0).filter { !s.pathTerms.contains($0) }
        if !others.isEmpty { parts.append("mentions " + unique(others).prefix(4).joined(separator: ", ")) }
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
        if !project.buildCommands.isEmpty { out.append("Build with `\(project.buildCommands.joined(separator: "`, `"))`.") }
        if !project.testCommands.isEmpty { out.append("Test with `\(project.testCommands.joined(separator: "`, `"))`.") }
        if !project.entryPoints.isEmpty {
            out.append("Entry points: \(project.entryPoints.prefix(5).joined(separator: ", ")).")
        }
        var named: Set<String> = []
        for s in ranked.prefix(20) {
            for d in s.defines where named.insert(d.spelling).inserted {
                out.append("The task names `\(d.spelling)`, defined in \(corpus.files[s.file].path):\(d.line).")
            }
        }
        let missing = query.symbols.filter { $0.strong && !named.contains($0.spelling) }.prefix(3)
        for m in missing { out.append("The task names `\(m.spelling)`, which no file defines yet.") }
        return out
    }

    private static func unique(_ xs: [String]) -> [String] {
        var seen: Set<String> = []
        return xs.filter { seen.insert($0).inserted }
    }
}
