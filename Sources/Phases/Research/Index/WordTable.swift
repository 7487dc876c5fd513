/// A small read-only table from ASCII words to values, looked up by raw bytes with no `String` built.
struct WordTable<Value: Sendable>: Sendable {
    private var words: [[UInt8]] = []
    private var values: [Value] = []
    /// Open-addressing slots holding `index + 1` into ``words`` (0 = empty).
    private var slots: [Int32]
    private let mask: Int

    init<S: Sequence>(_ pairs: S) where S.Element == (String, Value) {
        let list = Array(pairs)
        var size = 16
        while size < list.count * 4 { size <<= 1 }
        slots = [Int32](repeating: 0, count: size)
        mask = size - 1
        for (word, value) in list {
            let bytes = Array(word.utf8)
            let found = bytes.withUnsafeBufferPointer { self.index(of: $0.baseAddress!, count: $0.count) }
            if found != nil { continue }
            var i = WordTable.hash(bytes.withUnsafeBufferPointer { $0.baseAddress! }, bytes.count) & mask
            while slots[i] != 0 { i = (i + 1) & mask }
            words.append(bytes)
            values.append(value)
            slots[i] = Int32(words.count)
        }
    }

    @inline(__always)
    private static func hash(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
        guard n > 0 else { return 0 }
        return (n &* 31) ^ (Int(p[0]) &* 7) ^ (Int(p[n - 1]) &* 131) ^ (Int(p[n >> 1]) &* 17)
    }

    @inline(__always)
    private func index(of p: UnsafePointer<UInt8>, count n: Int) -> Int? {
        var i = WordTable.hash(p, n) & mask
        while true {
            let s = Int(slots[i])
            if s == 0 { return nil }
            let w = words[s - 1]
            if w.count == n {
                let same = w.withUnsafeBufferPointer { b -> Bool in
                    for k in 0..<n where b[k] != p[k] { return false }
                    return true
                }
                if same { return s - 1 }
            }
            i = (i + 1) & mask
        }
    }

    /// The value for the `count` bytes at `p`, if they are one of the words.
    @inline(__always)
    func value(_ p: UnsafePointer<UInt8>, count n: Int) -> Value? {
        guard n > 0, let i = index(of: p, count: n) else { return nil }
        return values[i]
    }

    /// The value for `bytes[range]`.
    @inline(__always)
    func value(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Value? {
        guard !range.isEmpty else { return nil }
        return value(bytes.baseAddress! + range.lowerBound, count: range.count)
    }
}
