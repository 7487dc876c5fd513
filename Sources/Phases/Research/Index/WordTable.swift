/// A small read-only table from ASCII words to values, looked up by raw bytes with no `String` built.
///
/// Each slot keeps its word's first eight bytes and length, so most lookups (misses above all) decide on the slot
/// alone; longer words compare their remaining bytes from one flat array.
struct WordTable<Value: Sendable>: Sendable {
    private struct Slot {
        /// The word's first eight bytes, little-endian, zero-padded.
        var prefix: UInt64
        var length: Int32
        /// Index into ``values`` + 1; 0 marks an empty slot.
        var entry: Int32
    }

    private var slots: [Slot]
    private var values: [Value] = []
    /// Every word's bytes, back to back, and where each starts.
    private var bytes: [UInt8] = []
    private var starts: [Int] = []
    private let mask: Int

    init<S: Sequence>(_ pairs: S) where S.Element == (String, Value) {
        let list = Array(pairs)
        var size = 16
        while size < list.count * 4 { size <<= 1 }
        slots = [Slot](repeating: Slot(prefix: 0, length: 0, entry: 0), count: size)
        mask = size - 1
        for (word, value) in list {
            let utf8 = Array(word.utf8)
            guard !utf8.isEmpty else { continue }
            let found = utf8.withUnsafeBufferPointer { self.index(of: $0.baseAddress!, count: $0.count) }
            if found != nil { continue }
            let (hash, prefix) = utf8.withUnsafeBufferPointer {
                (WordTable.hash($0.baseAddress!, $0.count), WordTable.prefix($0.baseAddress!, $0.count))
            }
            var i = hash & mask
            while slots[i].entry != 0 { i = (i + 1) & mask }
            starts.append(bytes.count)
            bytes.append(contentsOf: utf8)
            values.append(value)
            slots[i] = Slot(prefix: prefix, length: Int32(utf8.count), entry: Int32(values.count))
        }
    }

    @inline(__always)
    private static func hash(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
        (n &* 31) ^ (Int(p[0]) &* 7) ^ (Int(p[n - 1]) &* 131) ^ (Int(p[n >> 1]) &* 17)
    }

    @inline(__always)
    private static func prefix(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
        var w: UInt64 = 0
        for k in 0..<min(n, 8) { w |= UInt64(p[k]) << UInt64(8 * k) }
        return w
    }

    /// Index of the `n` (> 0) bytes at `p` in ``values``, or `nil`.
    @inline(__always)
    private func index(of p: UnsafePointer<UInt8>, count n: Int) -> Int? {
        let key = WordTable.prefix(p, n)
        var i = WordTable.hash(p, n) & mask
        return slots.withUnsafeBufferPointer { slots -> Int? in
            while true {
                let s = slots[i]
                if s.entry == 0 { return nil }
                if Int(s.length) == n && s.prefix == key && (n <= 8 || restMatches(Int(s.entry) - 1, p, n)) {
                    return Int(s.entry) - 1
                }
                i = (i + 1) & mask
            }
        }
    }

    /// Whether bytes 8..<n of word `e` equal those at `p`.
    private func restMatches(_ e: Int, _ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        bytes.withUnsafeBufferPointer { b in
            let start = starts[e]
            for k in 8..<n where b[start + k] != p[k] { return false }
            return true
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
