/// Counts distinct raw identifier runs per field for one file, so each distinct identifier is split, lowercased,
/// stemmed and hashed once per file instead of once per occurrence.
///
/// A plain value over manually managed memory (like ``TermCounter``): the owner copies it into a local for the hot
/// loop, stores it back, and calls ``deallocate()`` once.
struct IdentifierCounter {
    /// One distinct identifier: where its bytes are, and how often it occurred per field (path, name, comment, code).
    struct Entry {
        var hash: UInt64
        var offset: Int32
        var length: Int32
        var counts: FieldTimes
        /// The first 16 bytes (zero-padded), so short identifiers compare without touching ``bytes``.
        var first: UInt64
        var second: UInt64
    }

    private var table = StampedSlots()
    private(set) var entries: UnsafeMutablePointer<Entry>
    private var entryCapacity: Int
    /// Distinct identifiers of the current file.
    private(set) var count = 0
    /// Their bytes.
    private(set) var bytes: UnsafeMutablePointer<UInt8>
    private var byteCount = 0
    private var byteCapacity = 1 << 16

    init() {
        entryCapacity = 1 << 11
        entries = .allocate(capacity: entryCapacity)
        bytes = .allocate(capacity: byteCapacity)
    }

    /// Frees the memory; call once, from the owner.
    func deallocate() {
        table.deallocate()
        entries.deallocate()
        bytes.deallocate()
    }

    /// Starts a new file expected to hold about `expected` distinct items (sizes the probed part of the table).
    mutating func reset(expected: Int) {
        table.reset(expected: expected)
        count = 0
        byteCount = 0
    }

    /// Counts one occurrence of the identifier run of `n` (≤ 200) bytes at `p` in `field`; at least 16 readable
    /// bytes must follow `p + n`.
    @inline(__always)
    mutating func add(_ p: UnsafePointer<UInt8>, count n: Int, field: Int) {
        let (hash, first, second) = TermHash.quick(padded: p, count: n)
        let slots = table.slots, mask = table.mask, stamp = table.stamp
        var i = Int(truncatingIfNeeded: hash) & mask
        while true {
            let s = slots[i]
            if s.stamp != stamp { break }
            if s.key == hash {
                let e = entries + Int(s.entry)
                if Int(e.pointee.length) == n && e.pointee.first == first && e.pointee.second == second
                    && (n <= 16 || equal(bytes + Int(e.pointee.offset), p, n))
                {
                    e.pointee.counts.increment(field)
                    return
                }
            }
            i = (i &+ 1) & mask
        }
        if byteCount + n > byteCapacity { growBytes(byteCount + n) }
        (bytes + byteCount).update(from: p, count: n)
        var counts = FieldTimes()
        counts.increment(field)
        slots[i] = StampedSlots.Slot(key: hash, stamp: stamp, entry: Int32(count))
        entries[count] = Entry(
            hash: hash, offset: Int32(byteCount), length: Int32(n), counts: counts, first: first, second: second)
        byteCount += n
        count += 1
        if count * 2 > mask { grow() }
    }

    @inline(__always)
    private func equal(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        var k = 0
        while k < n {
            if a[k] != b[k] { return false }
            k += 1
        }
        return true
    }

    private mutating func growBytes(_ needed: Int) {
        while byteCapacity < needed { byteCapacity *= 2 }
        let fresh = UnsafeMutablePointer<UInt8>.allocate(capacity: byteCapacity)
        fresh.update(from: bytes, count: byteCount)
        bytes.deallocate()
        bytes = fresh
    }

    private mutating func grow() {
        let entries = self.entries
        table.grow(count: count) { entries[$0].hash }
        let size = table.mask + 1
        if size / 2 > entryCapacity {
            let fresh = UnsafeMutablePointer<Entry>.allocate(capacity: size / 2)
            fresh.moveInitialize(from: entries, count: count)
            entries.deallocate()
            self.entries = fresh
            entryCapacity = size / 2
        }
    }
}

/// How many times something occurred in each field (path, name, comment, code).
struct FieldTimes {
    var path: UInt32 = 0
    var name: UInt32 = 0
    var comment: UInt32 = 0
    var code: UInt32 = 0

    @inline(__always)
    mutating func increment(_ field: Int) {
        switch field {
        case 0: path &+= 1
        case 1: name &+= 1
        case 2: comment &+= 1
        default: code &+= 1
        }
    }
}
