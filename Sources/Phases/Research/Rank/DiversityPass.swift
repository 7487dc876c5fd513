/// Gentle directory diversity: once a directory already holds ``free`` files of the ranking, each further file from
/// it is scored a little lower (`decay` per extra file), so one crowded folder of look-alike files (`Foo+A.swift`,
/// `Foo+B.swift`, …) does not push every other candidate out of the top of the list.
struct DiversityPass {
    static let window = 40
    static let free = 3
    static let decay = 0.85

    let corpus: CorpusIndex

    func apply(to scored: inout [Ranker.Scored]) {
        guard DiversityPass.decay < 1, scored.count > DiversityPass.free else { return }
        let files = corpus.files
        let m = min(DiversityPass.window, scored.count)
        var pool = Array(scored.prefix(m))
        var out: [Ranker.Scored] = []
        out.reserveCapacity(scored.count)
        var perDir: [Substring: Int] = [:]
        func dir(_ s: Ranker.Scored) -> Substring {
            let p = files[s.file].path
            return p.lastIndex(of: "/").map { p[..<$0] } ?? ""
        }
        while !pool.isEmpty {
            var best = 0
            var bestScore = -1.0
            for (i, s) in pool.enumerated() {
                let extra = max(0, (perDir[dir(s)] ?? 0) - DiversityPass.free + 1)
                var v = s.score
                for _ in 0..<extra { v *= DiversityPass.decay }
                if v > bestScore {
                    bestScore = v
                    best = i
                }
            }
            let chosen = pool.remove(at: best)
            perDir[dir(chosen), default: 0] += 1
            var c = chosen
            c.score = bestScore
            out.append(c)
        }
        // Keep scores monotone so later stages (tiering) see the new order.
        for i in out.indices.dropFirst() where out[i].score > out[i - 1].score { out[i].score = out[i - 1].score }
        let floor = out.last?.score ?? 0
        for var s in scored.dropFirst(m) {
            s.score = min(s.score, floor)
            out.append(s)
        }
        scored = out
    }
}
