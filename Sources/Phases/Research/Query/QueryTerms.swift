/// Weighted query terms derived from a ``TaskQuery``.
struct QueryTerms: Sendable {
    /// One distinct term.
    struct Term: Sendable, Equatable {
        var text: String
        var weight: Double
        var inTitle: Bool
    }

    /// Distinct terms, strongest first.
    var terms: [Term] = []
    /// Whole-identifier tokens of named symbols, mapped to their original spelling; strong evidence.
    var symbols: [(token: String, spelling: String, strong: Bool)] = []

    /// Weight of a phrase join ("hash table" → `hashtable`) relative to its words.
    static let phraseWeight = 0.5
    /// Weight of a sibling name implied by shorthand (`Rigid/UniqueArray` → `rigidarray`).
    static let siblingWeight = 2.0

    /// Weights: code-like identifiers (whole form) 3, their parts and prose words 1, code blocks 0.5,
    /// stack-trace lines 1.5. A term seen several times gets up to +50 %.
    init(_ query: TaskQuery) {
        var weight: [String: Double] = [:]
        var seen: [String: Int] = [:]
        var order: [String] = []
        var title: Set<String> = []
        var phrases: [(token: String, spelling: String)] = []
        func add(_ token: String, _ w: Double) {
            if weight[token] == nil { order.append(token) }
            weight[token] = max(weight[token] ?? 0, w)
            seen[token, default: 0] += 1
        }
        func addProse(_ text: String, _ w: Double, titleLine: Bool = false, joins: Bool = false) {
            var previous: String?
            for word in TaskQuery.words(text, allowDots: false) {
                if StopWords.contains(word.lowercased()) {
                    previous = nil
                    continue
                }
                let code = TaskQuery.isCodeLike(word)
                // Two adjacent plain words may name one identifier: "hash table" → `hashtable` (`HashTable`).
                if joins, let p = previous, !code, let joined = QueryTerms.join(p, word) {
                    add(joined, QueryTerms.phraseWeight * w)
                    if !phrases.contains(where: { $0.token == joined }) { phrases.append((joined, p + " " + word)) }
                    if titleLine { title.insert(joined) }
                }
                previous = code ? nil : word
                for tok in Tokenizer.tokens(word) where !StopWords.contains(tok) {
                    let whole = tok == Tokenizer.tokens(word, wholeOnly: true).first
                    add(tok, code && whole ? 3 * w : w)
                    if titleLine { title.insert(tok) }
                }
            }
        }
        addProse(query.title, 1, titleLine: true, joins: true)
        for line in query.prose { addProse(line, 1, joins: true) }
        for span in query.inlineCode { addProse(span, 1.2) }
        for line in query.traceLines { addProse(line, 1.5) }
        for block in query.codeBlocks { addProse(String(block.prefix(4000)), 0.5) }
        let titleSiblings = TaskQuery.siblingNames(query.title)
        for s in query.siblingSymbols {
            for tok in Tokenizer.tokens(s, wholeOnly: true) {
                add(tok, QueryTerms.siblingWeight)
                if titleSiblings.contains(s) { title.insert(tok) }
            }
        }
        for token in order {
            let n = Double(seen[token] ?? 1)
            let w = (weight[token] ?? 1) * min(1.5, 1 + 0.25 * (n - 1))
            terms.append(Term(text: token, weight: w, inTitle: title.contains(token)))
        }
        var symbolTokens: Set<String> = []
        let lists: [([String], Bool)] = [
            (query.namedSymbols, true), (query.capitalizedWords, false), (query.siblingSymbols, false),
        ]
        for (list, strong) in lists {
            for s in list {
                guard let tok = Tokenizer.tokens(s, wholeOnly: true).first, symbolTokens.insert(tok).inserted else {
                    continue
                }
                symbols.append((tok, s, strong))
            }
        }
        for p in phrases where symbolTokens.insert(p.token).inserted { symbols.append((p.token, p.spelling, false)) }
    }

    /// The identifier token two adjacent prose words would form (`bounds checks` → `boundscheck`), or nil when
    /// either is not a plain word of letters.
    static func join(_ a: String, _ b: String) -> String? {
        guard a.count >= 2, b.count >= 2, a.allSatisfy(\.isLetter), b.allSatisfy(\.isLetter) else { return nil }
        let camel = a.lowercased() + b.prefix(1).uppercased() + b.dropFirst().lowercased()
        return Tokenizer.tokens(camel, wholeOnly: true).first
    }
}
