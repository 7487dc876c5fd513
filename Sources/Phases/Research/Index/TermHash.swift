/// 64-bit hashes of index terms (lowercased, stemmed token bytes).
///
/// The index stores terms only as these hashes; queries hash their terms the same way. The mixing step is a
/// 64×64→128-bit multiply folded to 64 bits (the core of wyhash), applied per 8-byte little-endian word.
enum TermHash {
    private static let seed: UInt64 = 0xA076_1D64_78BD_642F
    private static let wordSecret: UInt64 = 0xE703_7ED1_A0B4_28DB
    private static let finalSecret: UInt64 = 0x8EBC_6AF0_9C88_C6E3

    @inline(__always)
    private static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let r = a.multipliedFullWidth(by: b)
        return r.high ^ r.low
    }

    /// Hash of `count` bytes at `p`.
    @inline(__always)
    static func of(_ p: UnsafePointer<UInt8>, count n: Int) -> UInt64 {
        var h = seed ^ UInt64(truncatingIfNeeded: n)
        var i = 0
        let raw = UnsafeRawPointer(p)
        while i + 8 <= n {
            let w = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            h = mix(w ^ wordSecret, h ^ seed)
            i += 8
        }
        if i < n {
            var w: UInt64 = 0
            var shift: UInt64 = 0
            while i < n {
                w |= UInt64(p[i]) << shift
                shift += 8
                i += 1
            }
            h = mix(w ^ wordSecret, h ^ seed)
        }
        return finish(h)
    }

    @inline(__always)
    private static func finish(_ h: UInt64) -> UInt64 { mix(h ^ finalSecret, h ^ 0x5851_F42D_4C95_7F2D) }

    /// ``of(_:count:)`` for bytes followed by at least 7 readable bytes: the tail is one masked load (same result).
    @inline(__always)
    static func of(padded p: UnsafePointer<UInt8>, count n: Int) -> UInt64 {
        var h = seed ^ UInt64(truncatingIfNeeded: n)
        var i = 0
        let raw = UnsafeRawPointer(p)
        while i + 8 <= n {
            let w = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            h = mix(w ^ wordSecret, h ^ seed)
            i += 8
        }
        if i < n {
            let w = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            h = mix((w & ((1 << UInt64(8 * (n - i))) &- 1)) ^ wordSecret, h ^ seed)
        }
        return finish(h)
    }

    /// A cheap hash of a short byte run followed by at least 7 readable bytes, for in-memory tables that compare the
    /// bytes on a match anyway (not stable across versions; never stored). Also returns the first two 8-byte words.
    @inline(__always)
    static func quick(padded p: UnsafePointer<UInt8>, count n: Int) -> (hash: UInt64, first: UInt64, second: UInt64) {
        let raw = UnsafeRawPointer(p)
        var w0 = raw.loadUnaligned(as: UInt64.self)
        var w1: UInt64 = 0
        if n < 8 {
            w0 &= (1 << UInt64(8 * n)) &- 1
        } else if n < 16 {
            w1 = raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self) & ((1 << UInt64(8 * (n - 8))) &- 1)
        } else {
            w1 = raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
        }
        var tail: UInt64 = 0
        if n > 16 { tail = raw.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self) }
        let h = mix(w0 ^ wordSecret ^ UInt64(truncatingIfNeeded: n), w1 ^ seed ^ (tail &* finalSecret))
        return (h, w0, w1)
    }

    /// Hash of the bytes in `bytes`.
    static func of(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        guard let base = bytes.baseAddress else { return finish(seed) }
        return of(base, count: bytes.count)
    }

    /// Hash of a term given as text (UTF-8).
    static func of(_ term: String) -> UInt64 {
        var copy = term
        return copy.withUTF8 { of($0) }
    }
}
