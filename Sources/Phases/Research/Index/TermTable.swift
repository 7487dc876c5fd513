/// An interning table of byte-string terms, with dense `UInt32` ids.
///
/// Terms live in one byte arena; lookups hash raw bytes (FNV-1a) so no `String` is built on the hot path.
struct TermTable: Sendable {
    private(set) var arena: [UInt8] = []
    private(set) var offsets: [UInt32] = [0]
    private var slots: [Int32]
    private var hashes: [UInt32] = []

    /// Number of interned terms.
    var count: Int { offsets.count - 1 }

    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Int32](repeating: -1, count: size)
        arena.reserveCapacity(capacity * 8)
    }

    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var h: UInt32 = 2_166_136_261
        for b in bytes { h = (h ^ UInt32(b)) &* 16_777_619 }
        return h
    }

    /// Returns the id of `bytes`, interning it if new.
    mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        let h = TermTable.hash(bytes)
        let mask = slots.count - 1
        var i = Int(h) & mask
        while true {
            let s = slots[i]
            if s < 0 { break }
            if hashes[Int(s)] == h && equals(Int(s), bytes) { return UInt32(s) }
            i = (i + 1) & mask
        }
        let id = Int32(count)
        arena.append(contentsOf: bytes)
        offsets.append(UInt32(arena.count))
        hashes.append(h)
        slots[i] = id
        if count * 2 > slots.count { grow() }
        return UInt32(id)
    }

    /// Returns the id of `bytes` if interned.
    func lookup(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32? {
        let h = TermTable.hash(bytes)
        let mask = slots.count - 1
        var i = Int(h) & mask
        while true {
            let s = slots[i]
            if s < 0 { return nil }
            if hashes[Int(s)] == h && equals(Int(s), bytes) { return UInt32(s) }
            i = (i + 1) & mask
        }
    }

    /// Returns the id of `term` if interned.
    func lookup(_ term: String) -> UInt32? {
        var copy = term
        return copy.withUTF8 { lookup($0) }
    }

    /// Interns a `String` term.
    mutating func intern(_ term: String) -> UInt32 {
        var copy = term
        return copy.withUTF8 { intern($0) }
    }

    /// The text of term `id`.
    func string(_ id: UInt32) -> String {
        let start = Int(offsets[Int(id)]), end = Int(offsets[Int(id) + 1])
        return String(decoding: arena[start..<end], as: UTF8.self)
    }

    /// Calls `body` with the bytes of term `id`.
    func withBytes<R>(_ id: UInt32, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let start = Int(offsets[Int(id)]), end = Int(offsets[Int(id) + 1])
        return arena.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[start..<end])) }
    }

    private func equals(_ id: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = Int(offsets[id]), end = Int(offsets[id + 1])
        guard end - start == bytes.count else { return false }
        return arena.withUnsafeBufferPointer { a in
            for k in 0..<bytes.count where a[start + k] != bytes[k] { return false }
            return true
        }
    }

    private mutating func grow() {
        let size = slots.count * 2
        var fresh = [Int32](repeating: -1, count: size)
        let mask = size - 1
        for id in 0..<count {
            var i = Int(hashes[id]) & mask
            while fresh[i] >= 0 { i = (i + 1) & mask }
            fresh[i] = Int32(id)
        }
        slots = fresh
    }
}
