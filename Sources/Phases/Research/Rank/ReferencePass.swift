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
        // Identifiers (term hashes) used in the code of each top file, as bit masks over top files.
        var usedBy: [UInt64: UInt8] = [:]
        for (k, f) in top.enumerated() {
            let file = files[f]
            let terms = file.terms, counts = file.counts
            for i in terms.indices where counts[i].code > 0 {
                usedBy[terms[i], default: 0] |= UInt8(1 << k)
            }
        }
        // Type and function definitions of those identifiers, in file order: two halves on two threads when many.
        let parts = files.count >= 4096 ? 2 : 1
        var found = [[(id: UInt64, file: Int32)]](repeating: [], count: parts)
        let used = usedBy
        found.withUnsafeMutableBufferPointer { found in
            DedicatedThreads.perform(iterations: parts) { t in
                var list: [(id: UInt64, file: Int32)] = []
                files.withUnsafeBufferPointer { files in
                    for f in (files.count * t / parts)..<(files.count * (t + 1) / parts) {
                        let count = files[f].block.definitionCount
                        for i in 0..<count {
                            let (id, kind) = files[f].block.definitionHashAndKind(i)
                            guard kind == .type || kind == .function, used[id] != nil else { continue }
                            list.append((id, Int32(f)))
                        }
                    }
                }
                found[t] = list
            }
        }
        // Definers of those identifiers, in order of their first definer.
        var definers: [UInt64: (count: Int32, first: Int32)] = [:]
        var order: [UInt64] = []
        for part in found {
            for (id, f32) in part {
                let f = Int(f32)
                if let seen = definers[id] {
                    if seen.first != Int32(f) { definers[id] = (seen.count + 1, seen.first) }
                } else {
                    definers[id] = (1, Int32(f))
                    order.append(id)
                }
            }
        }
        var refs: [Int: (mask: UInt8, via: Int)] = [:]
        for id in order {
            guard let entry = definers[id], entry.count <= Int32(ReferencePass.maxDefiners) else { continue }
            let f = Int(entry.first)
            var mask = usedBy[id]!
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
