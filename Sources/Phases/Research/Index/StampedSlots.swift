/// The open-addressing part of ``TermCounter`` and ``IdentifierCounter``: slots keyed by a 64-bit hash that point
/// at entries the owner keeps, with a stamp per use, so starting the next file costs nothing (a slot whose stamp is
/// not the current one is empty).
///
/// A plain value over manually managed memory, like its owners: they copy it into a local with themselves for the
/// hot loop and call ``deallocate()`` once.
struct StampedSlots {
    struct Slot {
        var key: UInt64
        var stamp: UInt32
        var entry: Int32
    }

    private(set) var slots: UnsafeMutablePointer<Slot>
    /// Allocated slots (a power of two); each file uses the first `mask + 1`, sized to the file.
    private var capacity: Int
    private(set) var mask: Int
    private(set) var stamp: UInt32 = 1

    init(capacity: Int = 1 << 12) {
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: Slot(key: 0, stamp: 0, entry: 0), count: capacity)
        self.capacity = capacity
        mask = capacity - 1
    }

    /// Frees the memory; call once, from the owner.
    func deallocate() { slots.deallocate() }

    /// Empties the table for a new file expected to hold about `expected` distinct keys (sizes the probed part).
    mutating func reset(expected: Int) {
        var size = 256
        while size < expected * 2 && size < capacity { size <<= 1 }
        mask = size - 1
        nextStamp()
    }

    /// Whether slot `i` holds a key of the current file.
    @inline(__always)
    func isUsed(_ i: Int) -> Bool { slots[i].stamp == stamp }

    /// Fills the empty slot `i`.
    @inline(__always)
    func fill(_ i: Int, key: UInt64, entry: Int) {
        slots[i] = Slot(key: key, stamp: stamp, entry: Int32(entry))
    }

    /// Doubles the probed part (allocating when it outgrows the memory) and re-inserts entries `0..<count`, whose
    /// keys `key(k)` gives.
    mutating func grow(count: Int, key: (Int) -> UInt64) {
        let size = (mask + 1) * 2
        if size > capacity {
            slots.deallocate()
            slots = .allocate(capacity: size)
            slots.initialize(repeating: Slot(key: 0, stamp: 0, entry: 0), count: size)
            capacity = size
        }
        mask = size - 1
        nextStamp()
        for k in 0..<count {
            let hash = key(k)
            var i = Int(truncatingIfNeeded: hash) & mask
            while isUsed(i) { i = (i &+ 1) & mask }
            fill(i, key: hash, entry: k)
        }
    }

    private mutating func nextStamp() {
        stamp &+= 1
        if stamp == 0 {
            for i in 0..<capacity { slots[i].stamp = 0 }
            stamp = 1
        }
    }
}
