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
        // Two halves of the files on two threads when there are many, concatenated in file order.
        let parts = files.count >= 4096 ? 2 : 1
        var partial = [[[Posting]]](repeating: [], count: parts)
        partial.withUnsafeMutableBufferPointer { partial in
            DedicatedThreads.perform(iterations: parts) { t in
                let range = (files.count * t / parts)..<(files.count * (t + 1) / parts)
                partial[t] = postings(sorted: sorted, targets: targets, slots: hashes.count, files: range)
            }
        }
        for part in partial {
            for k in out.indices { out[k] += part[k] }
        }
        return out
    }

    /// ``postings(for:)`` over the files in `range`, for distinct ascending hashes and their output slots.
    private func postings(sorted: [UInt64], targets: [[Int]], slots: Int, files range: Range<Int>) -> [[Posting]] {
        var out = [[Posting]](repeating: [], count: slots)
        files.withUnsafeBufferPointer { files in
        for f in range {
            let n = files[f].block.termCount
            guard n > 0, let start = files[f].block.start else { continue }
            let terms = (start + 16).assumingMemoryBound(to: UInt64.self)
            var lo = 0
            for (q, hash) in sorted.enumerated() {
                var hi = n
                while lo < hi {
                    let mid = (lo + hi) >> 1
                    if terms[mid] < hash { lo = mid + 1 } else { hi = mid }
                }
                if lo == n { break }
                if terms[lo] == hash {
                    let counts = files[f].block.counts[lo]
                    for k in targets[q] { out[k].append((Int32(f), counts)) }
                    lo += 1
                }
            }
        }
        }
        return out
    }
}
