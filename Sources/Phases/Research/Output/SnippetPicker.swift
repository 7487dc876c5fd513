#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Chooses key excerpts from the top-ranked files, reading only those files.
///
/// Candidates are the definitions (types, functions, methods) of the top files. Each is scored by how well its
/// name and its body match the task, with term weights that include inverse document frequency, so that a method
/// called `appendLines` whose body takes a lock beats the `extension MemoryStore {` header that merely contains it.
/// Containers (types and extensions with members) count only their own lines, and an extension block never
/// counts as defining the type it extends. The best definitions across files win, at most two per file, each
/// shown from its declaration line through its body (capped at ``maxLines``).
struct SnippetPicker {
    static let maxLines = 40
    /// Files whose definitions are considered.
    static let candidateFiles = 8
    /// Snippets taken from one file at most.
    static let perFile = 2
    /// Weight multiplier of task terms that occur in the top files' paths.
    static let subjectFactor = 0.3

    let root: String
    let corpus: CorpusIndex
    let terms: QueryTerms
    /// Query term → weight × idf (from the ranking); terms missing here fall back to their query weight.
    let termWeights: [String: Double]
    private(set) var bytesRead: Int64 = 0

    init(root: String, corpus: CorpusIndex, terms: QueryTerms, termWeights: [String: Double] = [:]) {
        self.root = root
        self.corpus = corpus
        self.terms = terms
        self.termWeights = termWeights
    }

    /// A scored excerpt candidate.
    private struct Candidate {
        var score: Double
        var rank: Int
        var snippet: KeySnippet
    }

    /// Up to `limit` snippets from the first ``candidateFiles`` of `ranked`, best first.
    mutating func pick(from ranked: [Ranker.Scored], limit: Int) -> [KeySnippet] {
        guard limit > 0 else { return [] }
        var weights: [String: Double] = [:]
        for t in terms.terms { weights[t.text] = termWeights[t.text] ?? t.weight }
        let symbols = Dictionary(
            terms.symbols.filter(\.strong).map { ($0.token, $0.spelling) }, uniquingKeysWith: { a, _ in a })
        // Words of the top files' paths name the subject (`MemoryStore`); every part of it mentions them, so they
        // say little about which definition matters.
        for scored in ranked.prefix(3) {
            for t in Tokenizer.tokens(corpus.files[scored.file].path) { weights[t]? *= SnippetPicker.subjectFactor }
        }
        var candidates: [Candidate] = []
        let best = max(ranked.first?.score ?? 1, 1e-9)
        for (rank, scored) in ranked.prefix(SnippetPicker.candidateFiles).enumerated() {
            let file = corpus.files[scored.file]
            guard let text = readText(file.path) else { continue }
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            guard !lines.isEmpty else { continue }
            // Terms of the path appear all over the file; they say little about which part of it matters.
            let pathTerms = Set(Tokenizer.tokens(file.path)).filter { weights[$0] != nil }
            let lineTerms = lines.map { Set(Tokenizer.tokens($0)).filter { weights[$0] != nil } }
            // Files further down the ranking need a better match to contribute.
            let fileFactor = (0.4 + 0.6 * min(1, scored.score / best)) / (1 + 0.1 * Double(rank))
            var found = definitionCandidates(
                file: file, lines: lines, lineTerms: lineTerms, weights: weights, pathTerms: pathTerms,
                symbols: symbols)
            if found.isEmpty, let window = densestWindow(lines: lines, lineTerms: lineTerms, weights: weights) {
                found = [window]
            }
            for var c in found {
                c.score *= fileFactor
                c.rank = rank
                c.snippet.path = file.path
                candidates.append(c)
            }
        }
        candidates.sort { $0.score != $1.score ? $0.score > $1.score : $0.rank < $1.rank }
        var out: [KeySnippet] = []
        var perFile: [String: Int] = [:]
        for c in candidates where out.count < limit {
            guard perFile[c.snippet.path, default: 0] < SnippetPicker.perFile else { continue }
            // Skip an excerpt that overlaps one already taken from the same file.
            if out.contains(where: {
                $0.path == c.snippet.path && $0.startLine <= c.snippet.endLine && c.snippet.startLine <= $0.endLine
            }) {
                continue
            }
            perFile[c.snippet.path, default: 0] += 1
            out.append(c.snippet)
        }
        return out
    }

    private func definitionCandidates(
        file: FileIndex, lines: [String], lineTerms: [Set<String>], weights: [String: Double],
        pathTerms: Set<String>, symbols: [String: String]
    ) -> [Candidate] {
        let defs = file.definitions.filter { $0.kind != .value && $0.kind != .module }
        // Each definition's doc comment and attributes (the lines right above it) count as its own.
        let leads = defs.map { SnippetPicker.leadStart(lines, before: Int($0.startLine)) }
        // Name evidence: task terms among the name's parts (`appendLines` → append).
        let named: [(display: String, score: Double, hits: [String])] = defs.map { d in
            let decl = Int(d.startLine)
            let display = decl >= 1 && decl <= lines.count ? displayName(lines[decl - 1], fallback: d.name) : d.name
            var hits: [String] = []
            var score = 0.0
            for tok in Set(Tokenizer.tokens(display)) {
                guard let w = weights[tok] else { continue }
                score += w
                hits.append(tok)
            }
            return (display, score, hits.sorted())
        }
        var out: [Candidate] = []
        for (i, d) in defs.enumerated() {
            let decl = Int(d.startLine)
            let end = min(Int(d.endLine), lines.count)
            guard decl >= 1, decl <= end else { continue }
            let start = leads[i]
            // Lines that belong to nested definitions are scored with those, not with their container.
            var own = Array(repeating: true, count: end - start + 1)
            var hasMembers = false
            var container: Int?
            for (j, m) in defs.enumerated() where j != i {
                if m.startLine >= d.startLine && m.endLine <= d.endLine
                    && (m.startLine > d.startLine || m.endLine < d.endLine)
                {
                    hasMembers = true
                    for l in leads[j]...min(Int(m.endLine), end) where l > decl { own[l - start] = false }
                } else if m.startLine <= d.startLine && m.endLine >= d.endLine
                    && (m.startLine < d.startLine || m.endLine > d.endLine)
                {
                    // The innermost enclosing definition: its name qualifies this one (`FileLock.withLock`).
                    if container == nil || m.startLine >= defs[container!].startLine { container = j }
                }
            }
            let name = d.name
            let display = named[i].display
            // An extension block is named after the type it extends: its name describes its members, not itself.
            var nameScore = d.kind == .extensionBlock ? 0 : named[i].score * (hasMembers ? 0.6 : 1)
            var nameHits = d.kind == .extensionBlock ? [] : named[i].hits
            if let c = container {
                nameScore += 0.5 * named[c].score
                for h in named[c].hits where !nameHits.contains(h) { nameHits.append(h) }
            }
            // Body evidence: distinct task terms on the definition's own lines, more for repeated use.
            var counts: [String: Int] = [:]
            for l in start...end where own[l - start] {
                for t in lineTerms[l - 1] { counts[t, default: 0] += 1 }
            }
            var bodyScore = 0.0
            // Sorted so the floating-point sum, and so the ranking, is the same in every process.
            for (t, n) in counts.sorted(by: { $0.key < $1.key }) {
                let w = weights[t] ?? 0
                bodyScore += (pathTerms.contains(t) ? SnippetPicker.subjectFactor : 1) * w * (1 + log(Double(n)))
            }
            let ownLines = own.filter { $0 }.count
            bodyScore /= max(1, (Double(ownLines) / 12).squareRoot())
            // A container's own lines are mostly its members' doc comments and stored properties.
            if hasMembers || d.kind == .extensionBlock { bodyScore *= 0.5 }
            var score = 2 * nameScore + bodyScore
            var why: String
            if let spelling = symbols[name], d.kind != .extensionBlock {
                score += 2 * (weights[name] ?? 3) + 5
                why = "defines `\(spelling)` (named in the task)"
            } else if !nameHits.isEmpty {
                let ordered = nameHits.sorted { byWeight($0, $1, weights) }
                let concise = ordered.filter { t in !ordered.contains { $0 != t && $0.contains(t) } }
                why = "name matches " + concise.prefix(3).joined(separator: ", ")
            } else {
                why = "matches task terms"
            }
            guard score > 0 else { continue }
            let body = counts.keys.filter { !nameHits.contains($0) }.sorted { byWeight($0, $1, weights) }.prefix(3)
            if !body.isEmpty { why += "; body mentions " + body.joined(separator: ", ") }
            let last = min(end, decl + SnippetPicker.maxLines - 1)
            let snippet = KeySnippet(
                path: file.path, startLine: decl, endLine: last, symbol: display,
                text: lines[(decl - 1)..<last].joined(separator: "\n"), why: why)
            out.append(Candidate(score: score, rank: 0, snippet: snippet))
        }
        return out
    }

    /// First line of the comment and attribute block directly above line `before` (1-based), or `before`.
    static func leadStart(_ lines: [String], before: Int) -> Int {
        var l = before - 1
        while l >= 1, before - l <= 15 {
            let t = TaskQuery.trim(lines[l - 1])
            let isLead =
                t.hasPrefix("//") || t.hasPrefix("/*") || t.hasPrefix("*") || t.hasPrefix("#") || t.hasPrefix("@")
                || t.hasPrefix("--") || t.hasPrefix("\"\"\"")
            guard !t.isEmpty, isLead else { break }
            l -= 1
        }
        return l + 1
    }

    /// The 20-line window with the most task-term weight, for files without definitions.
    private func densestWindow(lines: [String], lineTerms: [Set<String>], weights: [String: Double]) -> Candidate? {
        let lineScores = lineTerms.map { $0.reduce(0.0) { $0 + (weights[$1] ?? 0) } }
        let window = min(20, lines.count)
        var sum = lineScores[0..<window].reduce(0, +)
        var bestSum = sum
        var bestStart = 0
        if lines.count > window {
            for s in 1...(lines.count - window) {
                sum += lineScores[s + window - 1] - lineScores[s - 1]
                if sum > bestSum {
                    bestSum = sum
                    bestStart = s
                }
            }
        }
        guard bestSum > 0 else { return nil }
        let snippet = KeySnippet(
            path: "", startLine: bestStart + 1, endLine: bestStart + window, symbol: nil,
            text: lines[bestStart..<(bestStart + window)].joined(separator: "\n"), why: "densest mention of task terms")
        return Candidate(score: bestSum / Double(window).squareRoot(), rank: 0, snippet: snippet)
    }

    /// The declared name as written on its line (original case), falling back to the lowercased index name.
    private func displayName(_ line: String, fallback: String) -> String {
        for word in TaskQuery.words(line, allowDots: false) {
            if let tok = Tokenizer.tokens(word, wholeOnly: true).first, tok == fallback { return word }
        }
        return fallback
    }

    private mutating func readText(_ path: String) -> String? {
        let fd = open(root + "/" + path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let r = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if r < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if r == 0 { break }
            data.append(contentsOf: chunk[0..<r])
            if data.count > 4 << 20 { break }
        }
        bytesRead += Int64(data.count)
        return String(decoding: data, as: UTF8.self)
    }
}

/// Heavier terms first; ties by name, so the order never depends on dictionary iteration.
private func byWeight(_ a: String, _ b: String, _ weights: [String: Double]) -> Bool {
    let (x, y) = (weights[a] ?? 0, weights[b] ?? 0)
    return x != y ? x > y : a < b
}
