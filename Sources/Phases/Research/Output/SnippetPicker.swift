#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Chooses key excerpts from the top-ranked files, reading only those files.
struct SnippetPicker {
    static let maxLines = 40

    let root: String
    let corpus: CorpusIndex
    let terms: QueryTerms
    private(set) var bytesRead: Int64 = 0

    init(root: String, corpus: CorpusIndex, terms: QueryTerms) {
        self.root = root
        self.corpus = corpus
        self.terms = terms
    }

    /// At most one snippet per file, files in rank order, up to `limit`.
    mutating func pick(from ranked: [Ranker.Scored], limit: Int) -> [KeySnippet] {
        var out: [KeySnippet] = []
        let weights = Dictionary(terms.terms.map { ($0.text, $0.weight) }, uniquingKeysWith: max)
        let symbols = Dictionary(terms.symbols.map { ($0.token, $0.spelling) }, uniquingKeysWith: { a, _ in a })
        for scored in ranked where out.count < limit {
            let file = corpus.files[scored.file]
            guard let text = readText(file.path) else { continue }
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            guard !lines.isEmpty else { continue }
            let lineScores = lines.map { line in
                Tokenizer.tokens(line).reduce(0.0) { $0 + (weights[$1] ?? 0) }
            }
            var best: (score: Double, start: Int, end: Int, symbol: String?, why: String)?
            for d in file.definitions where d.kind != .value {
                let start = Int(d.startLine), end = min(Int(d.endLine), lines.count)
                guard start >= 1, start <= end else { continue }
                let name = d.name
                let span = end - start + 1
                let hits = lineScores[(start - 1)..<end].reduce(0, +)
                var score = hits / Double(max(span, 8)).squareRoot()
                var why = "matches task terms"
                if let spelling = symbols[name] {
                    score += 100
                    why = "defines `\(spelling)` (named in the task)"
                }
                if best == nil || score > best!.score {
                    best = (score, start, end, displayName(lines[start - 1], fallback: name), why)
                }
            }
            if best == nil || best!.score <= 0 {
                // Densest window of task terms.
                let window = min(20, lines.count)
                var sum = lineScores[0..<window].reduce(0, +)
                var bestSum = sum, bestStart = 0
                if lines.count > window {
                    for s in 1...(lines.count - window) {
                        sum += lineScores[s + window - 1] - lineScores[s - 1]
                        if sum > bestSum { bestSum = sum; bestStart = s }
                    }
                }
                best = (bestSum, bestStart + 1, bestStart + window, nil, "densest mention of task terms")
            }
            guard let chosen = best else { continue }
            let end = min(chosen.end, chosen.start + SnippetPicker.maxLines - 1)
            let body = lines[(chosen.start - 1)..<end].joined(separator: "\n")
            out.append(
                KeySnippet(
                    path: file.path, startLine: chosen.start, endLine: end, symbol: chosen.symbol, text: body,
                    why: chosen.why))
        }
        return out
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
            if r < 0 { if errno == EINTR { continue }; return nil }
            if r == 0 { break }
            data.append(contentsOf: chunk[0..<r])
            if data.count > 4 << 20 { break }
        }
        bytesRead += Int64(data.count)
        return String(decoding: data, as: UTF8.self)
    }
}
