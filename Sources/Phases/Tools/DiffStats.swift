import Memory

/// Lines added and removed between two versions of a text, for `file_change` events.
public struct DiffStats: Sendable, Equatable {
    /// Lines present only in the new text.
    public var added: Int
    /// Lines present only in the old text.
    public var removed: Int

    /// Creates stats.
    public init(added: Int, removed: Int) {
        self.added = added
        self.removed = removed
    }

    /// Compares `old` and `new` line by line: common leading and trailing lines are skipped, and the middle is
    /// diffed exactly (longest common subsequence) when it is small, or counted as replaced when it is not.
    public static func compute(old: [UInt8], new: [UInt8]) -> DiffStats {
        compute(oldLines: lines(old), newLines: lines(new))
    }

    static func compute(oldLines: [ArraySlice<UInt8>], newLines: [ArraySlice<UInt8>]) -> DiffStats {
        var head = 0
        while head < oldLines.count && head < newLines.count && oldLines[head] == newLines[head] { head += 1 }
        var tail = 0
        while tail < oldLines.count - head && tail < newLines.count - head
            && oldLines[oldLines.count - 1 - tail] == newLines[newLines.count - 1 - tail]
        {
            tail += 1
        }
        let a = Array(oldLines[head..<(oldLines.count - tail)])
        let b = Array(newLines[head..<(newLines.count - tail)])
        if a.isEmpty || b.isEmpty || a.count * b.count > 4_000_000 {
            return DiffStats(added: b.count, removed: a.count)
        }
        var previous = [Int](repeating: 0, count: b.count + 1)
        var current = previous
        for i in 1...a.count {
            for j in 1...b.count {
                current[j] = a[i - 1] == b[j - 1] ? previous[j - 1] + 1 : max(previous[j], current[j - 1])
            }
            swap(&previous, &current)
        }
        let common = previous[b.count]
        return DiffStats(added: b.count - common, removed: a.count - common)
    }

    /// The lines of `bytes`; a final newline does not start an extra line.
    static func lines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        guard !bytes.isEmpty else { return [] }
        var result = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        if bytes.last == 0x0A { result.removeLast() }
        return result
    }

    /// The `file_change` metadata object.
    static func fileChange(path: String, op: String, stats: DiffStats) -> JSONValue {
        [
            "path": .string(path), "op": .string(op), "lines_added": .from(stats.added),
            "lines_removed": .from(stats.removed),
        ]
    }
}
