/// A light pass along references: files that define identifiers the top-ranked files use get a small boost.
///
/// Only identifiers defined (as types or functions) in at most ``maxDefiners`` files count, and only files that
/// already matched the task are boosted, so the pass reorders candidates rather than adding new ones.
struct ReferencePass {
    static let topFiles = 3
    static let maxDefiners = 2
    static let weight = 0.2

    let corpus: CorpusIndex

    func apply(to scored: inout [Ranker.Scored]) {
        guard scored.count > ReferencePass.topFiles else { return }
        let files = corpus.files
        let top = scored.prefix(ReferencePass.topFiles).map(\.file)
        // Identifiers used in the code of each top file (as bit masks over top files).
        var usedBy = [UInt8](repeating: 0, count: corpus.table.count)
        for (k, f) in top.enumerated() {
            let file = files[f]
            for (i, t) in file.terms.enumerated() where file.counts[i].code > 0 {
                usedBy[Int(t)] |= UInt8(1 << k)
            }
        }
        // Definers of those identifiers.
        var definers = [Int32](repeating: 0, count: corpus.table.count)
        var firstDefiner = [Int32](repeating: -1, count: corpus.table.count)
        for (f, file) in files.enumerated() {
            for d in file.definitions where d.kind == .type || d.kind == .function {
                let id = Int(d.nameId)
                guard usedBy[id] != 0, firstDefiner[id] != Int32(f) else { continue }
                if definers[id] == 0 { firstDefiner[id] = Int32(f) }
                definers[id] += 1
            }
        }
        var refs: [Int: (mask: UInt8, via: Int)] = [:]
        for id in 0..<definers.count where definers[id] >= 1 && definers[id] <= Int32(ReferencePass.maxDefiners) {
            let f = Int(firstDefiner[id])
            var mask = usedBy[id]
            if let k = top.firstIndex(of: f) { mask &= ~UInt8(1 << k) }
            guard mask != 0 else { continue }
            let prev = refs[f]?.mask ?? 0
            refs[f] = (prev | mask, refs[f]?.via ?? top[mask.trailingZeroBitCount])
        }
        guard !refs.isEmpty else { return }
        for i in scored.indices {
            guard let r = refs[scored[i].file] else { continue }
            let n = Double(r.mask.nonzeroBitCount)
            scored[i].score *= 1 + ReferencePass.weight * min(n, 3) / 3
            scored[i].referencedBy = files[r.via].path
        }
        scored.sort { $0.score != $1.score ? $0.score > $1.score : files[$0.file].path < files[$1.file].path }
    }
}
