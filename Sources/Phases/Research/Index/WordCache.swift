/// Remembers, for one indexing thread, the term hashes that recently seen short identifiers produced, so a common
/// identifier is looked up instead of being split, lowercased, stemmed and hashed again in every file.
///
/// Splitting an identifier is a pure function of its bytes, so a hit gives exactly the terms a fresh split would.
/// The cache is direct-mapped and small enough to stay in the CPU's caches: each identifier has one slot (picked
/// by its hash), a newer identifier simply replaces an older one there, and frequent identifiers keep coming back.
/// Only identifiers of at most 16 bytes with at most ``maxTerms`` terms are kept: a slot holds the identifier's
/// bytes and its terms in one 64-byte line, so a lookup compares the bytes exactly and touches one cache line.
///
/// A plain value over manually managed memory, like ``TermCounter``: the owner calls ``deallocate()`` once.
struct WordCache {
    /// Most terms a cached identifier may have.
    static let maxTerms = 5
    /// Longest identifier kept, in bytes.
    static let maxLength = 16

    // Slot layout (64 bytes): u64 first | u64 second | u32 tag | u8 length (0: empty) | u8 term count | u16 0 |
    // maxTerms × u64 term hash.
    private static let slotSize = 64
    private let slots: UnsafeMutableRawPointer
    private let mask: Int

    /// Creates an empty cache of `slotCount` slots (a power of two).
    init(slotCount: Int = 1 << 14) {
        precondition(slotCount > 0 && slotCount & (slotCount - 1) == 0, "slot count must be a power of two")
        slots = .allocate(byteCount: slotCount * WordCache.slotSize, alignment: WordCache.slotSize)
        slots.initializeMemory(as: UInt8.self, repeating: 0, count: slotCount * WordCache.slotSize)
        mask = slotCount - 1
    }

    /// Frees the memory; call once, from the owner.
    func deallocate() { slots.deallocate() }

    /// The term hashes recorded for the `n`-byte identifier whose quick hash and first two (zero-padded) 8-byte
    /// words ``TermHash/quick(padded:count:)`` gave, or `nil`. Valid until the next ``insert(count:hash:first:second:terms:)``.
    @inline(__always)
    func terms(count n: Int, hash: UInt64, first: UInt64, second: UInt64) -> UnsafeBufferPointer<UInt64>? {
        let s = slots + (Int(truncatingIfNeeded: hash) & mask) * WordCache.slotSize
        let meta = s.load(fromByteOffset: 16, as: UInt64.self)
        guard meta & 0xFF_FFFF_FFFF == UInt64(UInt32(truncatingIfNeeded: hash >> 32)) | UInt64(n) << 32, n != 0,
            s.load(as: UInt64.self) == first, s.load(fromByteOffset: 8, as: UInt64.self) == second
        else { return nil }
        return UnsafeBufferPointer(
            start: (s + 24).assumingMemoryBound(to: UInt64.self), count: Int((meta >> 40) & 0xFF))
    }

    /// Loads the slot of the identifier with quick hash `hash`, so a later ``terms(count:hash:first:second:)`` finds
    /// it in the CPU cache; returns a value to fold into a sink (so the load is not optimized away).
    @inline(__always)
    func touch(hash: UInt64) -> UInt64 {
        slots.load(fromByteOffset: (Int(truncatingIfNeeded: hash) & mask) * WordCache.slotSize + 16, as: UInt64.self)
    }

    /// Records `hashes` as the terms of the `n`-byte identifier (see ``terms(count:hash:first:second:)``), replacing
    /// whatever its slot held; identifiers longer than ``maxLength`` or with more than ``maxTerms`` terms are not kept.
    @inline(__always)
    func insert(count n: Int, hash: UInt64, first: UInt64, second: UInt64, terms hashes: UnsafeBufferPointer<UInt64>) {
        guard n > 0, n <= WordCache.maxLength, hashes.count <= WordCache.maxTerms else { return }
        let s = slots + (Int(truncatingIfNeeded: hash) & mask) * WordCache.slotSize
        s.storeBytes(of: first, as: UInt64.self)
        s.storeBytes(of: second, toByteOffset: 8, as: UInt64.self)
        let meta = UInt64(UInt32(truncatingIfNeeded: hash >> 32)) | UInt64(n) << 32 | UInt64(hashes.count) << 40
        s.storeBytes(of: meta, toByteOffset: 16, as: UInt64.self)
        for (k, h) in hashes.enumerated() { s.storeBytes(of: h, toByteOffset: 24 + 8 * k, as: UInt64.self) }
    }
}
