extension CorpusIndex {
    /// One file's counts for a query term.
    typealias Posting = (file: Int32, counts: FieldCounts)

    /// Postings of each term in `hashes` (same order), each in file order; binary-searches every file's sorted terms.
    func postings(for hashes: [UInt64]) -> [[Posting]] {
        var out = [[Posting]](repeating: [], count: hashes.count)
        guard !hashes.isEmpty else { return out }
        // Distinct hashes ascending, with the output slots that want each.
        let order = hashes.indices.sorted { hashes[$0] < hashes[$1] }
        var sorted: [UInt64] = []
        var targets: [[Int]] = []
        for k in order {
            if sorted.last == hashes[k] {
                targets[targets.count - 1].append(k)
            } else {
                sorted.append(hashes[k])
                targets.append([k])
            }
        }
        for (f, file) in files.enumerated() {
            let block = file.block
            guard block.termCount > 0, let start = block.start else { continue }
            let terms = (start + 16).assumingMemoryBound(to: UInt64.self)
            let n = block.termCount
            var lo = 0
            for (q, hash) in sorted.enumerated() {
                var hi = n
                while lo < hi {
                    let mid = (lo + hi) >> 1
                    if terms[mid] < hash { lo = mid + 1 } else { hi = mid }
                }
                if lo == n { break }
                if terms[lo] == hash {
                    let counts = block.counts[lo]
                    for k in targets[q] { out[k].append((Int32(f), counts)) }
                    lo += 1
                }
            }
        }
        return out
    }
}
