#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Scores corpus files against a task with BM25F over fields, then multiplies in definition, title, path-role
/// and reference evidence.
struct Ranker {
    /// Field weights and length-normalization strengths (path, name, comment, code).
    static let fieldWeights: (Double, Double, Double, Double) = (4, 3, 1, 1)
    static let fieldB: (Double, Double, Double, Double) = (0.5, 0.5, 0.75, 0.75)
    static let k1 = 1.2

    /// A ranked file with its evidence.
    struct Scored {
        var file: Int
        var score: Double
        var lexical: Double
        var defines: [(spelling: String, line: Int)] = []
        /// Named types this file extends (extension or impl blocks) without defining them.
        var extends: [(spelling: String, line: Int)] = []
        var referencedBy: String?
        var parallelTo: String?
        /// The query's term texts (shared by every entry), indexed by the two lists below.
        var termTexts: [String] = []
        /// (query term, weighted score) for each matched term, in posting order.
        var matched: [(Int, Double)] = []
        /// Query terms found in the path.
        var pathHits: [Int] = []

        /// Query terms found in the path. Built on demand: only the few files shown get explained.
        var pathTerms: [String] { pathHits.map { termTexts[$0] } }
        /// The four best-scoring matched terms.
        var matchedTerms: [(String, Double)] {
            matched.sorted { $0.1 > $1.1 }.prefix(4).map { (termTexts[$0.0], $0.1) }
        }
    }

    let corpus: CorpusIndex
    let query: QueryTerms

    /// Ranks all files with any evidence, best first.
    func rank() -> [Scored] { rankWithTermWeights().ranked }

    /// Ranks all files, and returns each matched query term's weight times its inverse document frequency (how
    /// telling a match of that term is, for picking snippets).
    func rankWithTermWeights() -> (ranked: [Scored], termWeights: [String: Double]) {
        var termWeights: [String: Double] = [:]
        let ranked = rank(termWeights: &termWeights)
        return (ranked, termWeights)
    }

    private func rank(termWeights: inout [String: Double]) -> [Scored] {
        let files = corpus.files
        let n = files.count
        guard n > 0 else { return [] }
        // Resolve query terms to hashes (distinct), and named symbols to their definers' name hashes.
        var qHashes: [UInt64] = []
        var qTerms: [QueryTerms.Term] = []
        var seenHashes: Set<UInt64> = []
        for t in query.terms {
            let h = TermHash.of(t.text)
            guard seenHashes.insert(h).inserted else { continue }
            qHashes.append(h)
            qTerms.append(t)
        }
        var symbolSlot: [UInt64: Int] = [:]
        for (k, s) in query.symbols.enumerated() where symbolSlot[TermHash.of(s.token)] == nil {
            symbolSlot[TermHash.of(s.token)] = k
        }
        // Postings of query terms only, and the definers of named symbols.
        let postings = corpus.postings(for: qHashes)
        var definers = [[(file: Int, def: Definition)]](repeating: [], count: query.symbols.count)
        var avg = (0.0, 0.0, 0.0, 0.0)
        var live = 0
        files.withUnsafeBufferPointer { files in
            for f in files.indices where files[f].language != .other {
                live += 1
                let lengths = files[f].lengths
                avg.0 += Double(lengths.path)
                avg.1 += Double(lengths.name)
                avg.2 += Double(lengths.comment)
                avg.3 += Double(lengths.code)
                if !symbolSlot.isEmpty {
                    for i in 0..<files[f].block.definitionCount {
                        if let s = symbolSlot[files[f].block.definitionHashAndKind(i).hash] {
                            definers[s].append((f, files[f].definitions[i]))
                        }
                    }
                }
            }
        }
        guard live > 0 else { return [] }
        let l = Double(live)
        avg = (max(avg.0 / l, 1), max(avg.1 / l, 1), max(avg.2 / l, 1), max(avg.3 / l, 1))
        var lexical = [Double](repeating: 0, count: n)
        var title = [Double](repeating: 0, count: n)
        var matched = [[(Int, Double)]](repeating: [], count: n)
        var pathHits = [[Int]](repeating: [], count: n)
        var covered = [Double](repeating: 0, count: n)
        var totalMass = 0.0
        let w = Ranker.fieldWeights, b = Ranker.fieldB
        for (q, plist) in postings.enumerated() where !plist.isEmpty {
            let df = Double(plist.count)
            let idf = log(1 + (l - df + 0.5) / (df + 0.5))
            let qw = qTerms[q].weight
            termWeights[qTerms[q].text] = qw * idf
            totalMass += qw * idf
            for (fi, c) in plist {
                let f = Int(fi)
                let len = files[f].lengths
                var tf = 0.0
                tf += w.0 * Double(c.path) / (1 - b.0 + b.0 * Double(len.path) / avg.0)
                tf += w.1 * Double(c.name) / (1 - b.1 + b.1 * Double(len.name) / avg.1)
                tf += w.2 * Double(c.comment) / (1 - b.2 + b.2 * Double(len.comment) / avg.2)
                tf += w.3 * Double(c.code) / (1 - b.3 + b.3 * Double(len.code) / avg.3)
                let s = idf * tf / (Ranker.k1 + tf)
                lexical[f] += qw * s
                covered[f] += qw * idf
                if qTerms[q].inTitle { title[f] += s }
                matched[f].append((q, qw * s))
                if c.path > 0 { pathHits[f].append(q) }
            }
        }
        let maxTitle = title.max() ?? 0
        // Definition evidence: the fewer files define a named symbol, the stronger.
        var defBoost = [Double](repeating: 0, count: n)
        var defines = [[(String, Int)]](repeating: [], count: n)
        var extends = [[(String, Int)]](repeating: [], count: n)
        for (k, list) in definers.enumerated() where !list.isEmpty {
            let sym = query.symbols[k]
            let strength = sym.strong ? 2.0 : 0.6
            let typeDefiners = Set(list.filter { $0.def.kind == .type }.map(\.file)).count
            let allDefiners = Set(list.map(\.file)).count
            var done: Set<Int> = []
            for (f, d) in list where !done.contains(f) {
                let kindWeight: Double
                let spread: Double
                switch d.kind {
                case .type, .module:
                    kindWeight = 1
                    spread = Double(max(typeDefiners, 1))
                case .function: kindWeight = 0.7; spread = Double(allDefiners)
                case .value: kindWeight = 0.4; spread = Double(allDefiners)
                case .extensionBlock: kindWeight = 0.25; spread = Double(allDefiners)
                }
                if !sym.strong && d.kind != .type { continue }
                done.insert(f)
                defBoost[f] += strength * kindWeight / spread.squareRoot()
                if d.kind == .extensionBlock {
                    extends[f].append((sym.spelling, Int(d.startLine)))
                } else {
                    defines[f].append((sym.spelling, Int(d.startLine)))
                }
            }
        }
        let languagePrior = LanguagePrior(files: files)
        let queryHashes = Set(qTerms.map { TermHash.of($0.text) })
        var candidates: [Int] = []
        for f in 0..<n where lexical[f] > 0 || defBoost[f] > 0 { candidates.append(f) }
        // Path facts of the candidates (file-name coverage, role, path factor), on two threads when many.
        var roles = [PathClassifier.Role?](repeating: nil, count: n)
        var coverage = [Double](repeating: 0, count: candidates.count)
        var pathFactor = [Double](repeating: 0, count: candidates.count)
        var candidateRoles = [PathClassifier.Role](repeating: .source, count: candidates.count)
        let threads = candidates.count >= 1024 ? 2 : 1
        coverage.withUnsafeMutableBufferPointer { coverage in
            pathFactor.withUnsafeMutableBufferPointer { pathFactor in
                candidateRoles.withUnsafeMutableBufferPointer { candidateRoles in
                    DedicatedThreads.perform(iterations: threads) { t in
                        for k in stride(from: t, to: candidates.count, by: threads) {
                            // Two fields, not a copy of the whole FileIndex (its retains cost more than the reads).
                            let path = files[candidates[k]].path, language = files[candidates[k]].language
                            let role = PathClassifier.role(of: path)
                            candidateRoles[k] = role
                            coverage[k] = Ranker.fileNameCoverage(path, queryHashes: queryHashes)
                            pathFactor[k] = PathClassifier.factor(role: role, path: path, language: language)
                        }
                    }
                }
            }
        }
        let termTexts = qTerms.map(\.text)
        var scored: [Scored] = []
        scored.reserveCapacity(candidates.count)
        for (k, f) in candidates.enumerated() {
            roles[f] = candidateRoles[k]
            var s = max(lexical[f], 0.01)
            s *= 1 + min(defBoost[f], 4)
            if maxTitle > 0 { s *= 1 + 0.5 * title[f] / maxTitle }
            if totalMass > 0 { s *= pow(covered[f] / totalMass, Ranker.coordinationExponent) }
            s *= 1 + Ranker.fileNameWeight * coverage[k]
            s *= pathFactor[k]
            s *= languagePrior.factor(files[f].language)
            var entry = Scored(file: f, score: s, lexical: lexical[f])
            entry.defines = defines[f]
            entry.extends = extends[f]
            entry.termTexts = termTexts
            entry.pathHits = pathHits[f]
            entry.matched = matched[f]
            scored.append(entry)
        }
        scored.sort { $0.score != $1.score ? $0.score > $1.score : files[$0.file].path < files[$1.file].path }
        TestSubjectPass(corpus: corpus).apply(to: &scored, roles: roles)
        ReferencePass(corpus: corpus).apply(to: &scored)
        ParallelPass(corpus: corpus, query: query).apply(to: &scored)
        DiversityPass(corpus: corpus).apply(to: &scored)
        return Ranker.tiered(scored, files: files, roles: roles)
    }

    static let fileNameWeight = 1.0
    static let coordinationExponent = 0.25

    /// Fraction of the file name's word parts (extension excluded) that are query terms.
    static func fileNameCoverage(_ path: String, _ weights: [String: Double]) -> Double {
        fileNameCoverage(path, queryHashes: Set(weights.keys.map(TermHash.of)))
    }

    /// ``fileNameCoverage(_:_:)`` with the query terms given by their ``TermHash``: no string is built, so it
    /// can run for every candidate file (thousands per query).
    static func fileNameCoverage(_ path: String, queryHashes: Set<UInt64>) -> Double {
        var parts: [UInt64] = []
        var scratch: [UInt8] = []
        func collect(_ buf: UnsafeBufferPointer<UInt8>) {
            Tokenizer.tokenize(buf, scratch: &scratch) { tok, _ in
                let hash = TermHash.of(tok)
                if !parts.contains(hash) { parts.append(hash) }
            }
        }
        var bytes = path
        let done = bytes.withUTF8 { p -> Bool in
            guard let stem = Ranker.asciiFileStem(p) else { return false }
            collect(stem)
            return true
        }
        if !done {
            let name = path.split(separator: "/").last.map(String.init) ?? path
            let stem = name.split(separator: ".").dropLast().joined(separator: ".")
            var copy = stem.isEmpty ? name : stem
            copy.withUTF8 { collect($0) }
        }
        guard !parts.isEmpty else { return 0 }
        let hit = parts.filter { queryHashes.contains($0) }.count
        return Double(hit) / Double(parts.count)
    }

    /// The file name without its last dot-separated part (the whole name if it has one part), as bytes, for ASCII
    /// names; `nil` otherwise. Dots separate tokens, so this tokenizes like the `String` version's joined stem.
    static func asciiFileStem(_ p: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8>? {
        guard let last = p.last, last != 0x2F else { return nil }
        var start = p.count
        while start > 0 && p[start - 1] != 0x2F {
            if p[start - 1] >= 0x80 { return nil }
            start -= 1
        }
        // Start of the last non-empty dot-separated part, and how many non-empty parts there are.
        var segments = 0
        var lastStart = start
        var k = start
        while k < p.count {
            if p[k] == 0x2E {
                k += 1
                continue
            }
            segments += 1
            lastStart = k
            while k < p.count && p[k] != 0x2E { k += 1 }
        }
        let end = segments >= 2 ? lastStart : p.count
        return UnsafeBufferPointer(rebasing: p[start..<end])
    }

    /// Primary source files scoring at least ``tierFloor`` of the best come first; tests, docs, examples, vendored
    /// code and weak matches follow, each group by score.
    static let tierFloor = 0.03

    static func tiered(_ scored: [Scored], files: [FileIndex], roles: [PathClassifier.Role?] = []) -> [Scored] {
        guard let best = scored.first?.score, best > 0 else { return scored }
        var primary: [Scored] = []
        var rest: [Scored] = []
        primary.reserveCapacity(scored.count)
        rest.reserveCapacity(scored.count)
        for s in scored {
            let isPrimary =
                files[s.file].language.isCode
                && ((s.file < roles.count ? roles[s.file] : nil) ?? PathClassifier.role(of: files[s.file].path)) == .source
            if isPrimary && s.score >= best * tierFloor { primary.append(s) } else { rest.append(s) }
        }
        return primary + rest
    }
}
