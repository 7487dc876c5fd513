/// Finds the parts of a file most similar to an `old` text that did not match exactly, so that `edit_file` can
/// show the model what the file really says.
///
/// Every window of as many lines as `old` has is scored by the mean similarity of aligned lines (Dice coefficient
/// of character bigrams, ignoring leading and trailing white space); the best non-overlapping windows win.
struct EditCandidates {
    /// One candidate window.
    struct Candidate: Equatable {
        /// First line, 1-based.
        var startLine: Int
        /// Last line, 1-based, inclusive.
        var endLine: Int
        /// Mean similarity, 0…1.
        var score: Double
        /// Whether the window equals `old` once white space at line ends is ignored.
        var differsOnlyInWhitespace: Bool
    }

    /// The best `count` windows of `fileLines` for `oldLines`, best first.
    static func find(oldLines: [Substring], in fileLines: [Substring], count: Int = 3) -> [Candidate] {
        guard !fileLines.isEmpty, !oldLines.isEmpty else { return [] }
        let window = min(oldLines.count, fileLines.count)
        let fileGrams = fileLines.map { bigrams($0) }
        let oldGrams = oldLines.map { bigrams($0) }
        let fileTrimmed = fileLines.map(trim)
        let oldTrimmed = oldLines.map(trim)
        // Compare at most 12 aligned lines per window (evenly spread) so huge files stay fast.
        let sampled = window <= 12 ? Array(0..<window) : (0..<12).map { $0 * (window - 1) / 11 }
        var scored: [(start: Int, score: Double)] = []
        scored.reserveCapacity(fileLines.count - window + 1)
        for start in 0...(fileLines.count - window) {
            var total = 0.0
            for offset in sampled {
                total += dice(
                    oldGrams[offset], fileGrams[start + offset], oldTrimmed[offset], fileTrimmed[start + offset])
            }
            scored.append((start, total / Double(sampled.count)))
        }
        scored.sort { $0.score > $1.score || ($0.score == $1.score && $0.start < $1.start) }
        var chosen: [Candidate] = []
        for entry in scored where entry.score > 0 {
            if chosen.contains(where: { abs($0.startLine - 1 - entry.start) < window }) { continue }
            let whitespaceOnly =
                window == oldLines.count
                && (0..<window).allSatisfy { oldTrimmed[$0] == fileTrimmed[entry.start + $0] }
            chosen.append(
                Candidate(
                    startLine: entry.start + 1, endLine: entry.start + window, score: entry.score,
                    differsOnlyInWhitespace: whitespaceOnly))
            if chosen.count == count { break }
        }
        return chosen
    }

    private static func trim(_ line: Substring) -> Substring {
        var line = line
        while let first = line.first, first.isWhitespace { line.removeFirst() }
        while let last = line.last, last.isWhitespace { line.removeLast() }
        return line
    }

    /// Sorted character-bigram codes of the trimmed line.
    private static func bigrams(_ line: Substring) -> [UInt64] {
        let scalars = Array(trim(line).unicodeScalars)
        guard scalars.count > 1 else { return scalars.map { UInt64($0.value) } }
        var grams: [UInt64] = []
        grams.reserveCapacity(scalars.count - 1)
        for index in 0..<(scalars.count - 1) {
            grams.append(UInt64(scalars[index].value) << 32 | UInt64(scalars[index + 1].value))
        }
        return grams.sorted()
    }

    private static func dice(_ a: [UInt64], _ b: [UInt64], _ ta: Substring, _ tb: Substring) -> Double {
        if ta == tb { return 1 }
        if a.isEmpty || b.isEmpty { return 0 }
        var i = 0
        var j = 0
        var common = 0
        while i < a.count && j < b.count {
            if a[i] == b[j] {
                common += 1
                i += 1
                j += 1
            } else if a[i] < b[j] {
                i += 1
            } else {
                j += 1
            }
        }
        return Double(2 * common) / Double(a.count + b.count)
    }
}
