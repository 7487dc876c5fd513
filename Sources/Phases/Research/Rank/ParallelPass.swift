/// Parallel files: when the task names two or more sibling types (`RigidArray` and `UniqueArray`, `NIOFS` and
/// `_NIOFileSystem`) and a top file's path spells one of them, the file at the same path spelled with another
/// name is very likely part of the change too (`UniqueArray+Append.swift` → `RigidArray+Append.swift`).
///
/// Such a file is lifted to just below the file it mirrors. Only names written like code (two or more parts)
/// are substituted, and only paths that exist are considered, so the pass adds no new guesses of its own.
struct ParallelPass {
    static let topFiles = 5
    static let factor = 0.9

    let corpus: CorpusIndex
    let names: [String]

    init(corpus: CorpusIndex, query: QueryTerms) {
        self.corpus = corpus
        var names: [String] = []
        for s in query.symbols where TaskQuery.isCodeLike(s.spelling) || TaskQuery.pascalParts(s.spelling).count >= 2 {
            if !names.contains(s.spelling) { names.append(s.spelling) }
        }
        self.names = names
    }

    func apply(to scored: inout [Ranker.Scored]) {
        guard names.count >= 2, ParallelPass.factor > 0, !scored.isEmpty else { return }
        let files = corpus.files
        var lifted: [Int: (score: Double, via: Int)] = [:]
        var byPath: [String: Int]?
        for t in scored.prefix(ParallelPass.topFiles) {
            let path = files[t.file].path
            for a in names where path.contains(a) {
                for b in names where b != a && !path.contains(b) && !b.contains(a) && !a.contains(b) {
                    let candidate = path.replacingAll(a, with: b)
                    if byPath == nil {
                        byPath = Dictionary(files.enumerated().map { ($1.path, $0) }, uniquingKeysWith: { x, _ in x })
                    }
                    guard let f = byPath![candidate] else { continue }
                    let s = t.score * ParallelPass.factor
                    if s > lifted[f]?.score ?? 0 { lifted[f] = (s, t.file) }
                }
            }
        }
        guard !lifted.isEmpty else { return }
        var present: Set<Int> = []
        for i in scored.indices {
            present.insert(scored[i].file)
            guard let l = lifted[scored[i].file], l.score > scored[i].score else { continue }
            scored[i].score = l.score
            scored[i].parallelTo = files[l.via].path
        }
        for (f, l) in lifted where !present.contains(f) {
            var entry = Ranker.Scored(file: f, score: l.score, lexical: 0)
            entry.parallelTo = files[l.via].path
            scored.append(entry)
        }
        scored.sort { $0.score != $1.score ? $0.score > $1.score : files[$0.file].path < files[$1.file].path }
    }
}
