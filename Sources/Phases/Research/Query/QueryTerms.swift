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

    /// Weights: code-like identifiers (whole form) 3, their parts and prose words 1, code blocks 0.5,
    /// stack-trace lines 1.5. A term seen several times gets up to +50 %.
    init(_ query: TaskQuery) {
        var weight: [String: Double] = [:]
        var seen: [String: Int] = [:]
        var order: [String] = []
        var title: Set<String> = []
        func add(_ token: String, _ w: Double) {
            if weight[token] == nil { order.append(token) }
            weight[token] = max(weight[token] ?? 0, w)
            seen[token, default: 0] += 1
        }
        func addProse(_ text: String, _ w: Double, titleLine: Bool = false) {
            for word in TaskQuery.words(text, allowDots: false) {
                if StopWords.contains(word.lowercased()) { continue }
                let code = TaskQuery.isCodeLike(word)
                for tok in Tokenizer.tokens(word) where !StopWords.contains(tok) {
                    let whole = tok == Tokenizer.tokens(word, wholeOnly: true).first
                    add(tok, code && whole ? 3 * w : w)
                    if titleLine { title.insert(tok) }
                }
            }
        }
        addProse(query.title, 1, titleLine: true)
        for line in query.prose { addProse(line, 1) }
        for span in query.inlineCode { addProse(span, 1.2) }
        for line in query.traceLines { addProse(line, 1.5) }
        for block in query.codeBlocks { addProse(String(block.prefix(4000)), 0.5) }
        for token in order {
            let n = Double(seen[token] ?? 1)
            let w = (weight[token] ?? 1) * min(1.5, 1 + 0.25 * (n - 1))
            terms.append(Term(text: token, weight: w, inTitle: title.contains(token)))
        }
        var symbolTokens: Set<String> = []
        for (list, strong) in [(query.namedSymbols, true), (query.capitalizedWords, false)] {
            for s in list {
                guard let tok = Tokenizer.tokens(s, wholeOnly: true).first, symbolTokens.insert(tok).inserted else {
                    continue
                }
                symbols.append((tok, s, strong))
            }
        }
    }
}
