/// Identifier-aware tokenizer over raw UTF-8 bytes.
///
/// An identifier run (`[A-Za-z0-9_]` plus any byte ≥ 0x80) yields its whole lowercased form (underscores
/// dropped), its parts split on `_`, camelCase, acronym and letter/digit boundaries, and for identifiers of
/// three or more parts the concatenation of adjacent parts (`WebSocketFrame` → `websocket`). Tokens shorter than
/// two bytes are dropped and a light plural stemmer is applied (`headers` → `header`, `entries` → `entry`).
enum Tokenizer {
    /// Longest token kept, in bytes.
    static let maxTokenLength = 64

    @inline(__always)
    static func isIdentByte(_ b: UInt8) -> Bool {
        // a-z, A-Z, 0-9, _ and every byte ≥ 0x80, as two 64-bit sets (bytes 0-63 and 64-127), without branches.
        let low: UInt64 = 0x03FF_0000_0000_0000
        let high: UInt64 = 0x07FF_FFFE_87FF_FFFE
        return b >= 0x80 || ((b < 64 ? low : high) >> UInt64(b & 63)) & 1 != 0
    }

    @inline(__always)
    static func isUpper(_ b: UInt8) -> Bool { b >= 0x41 && b <= 0x5A }
    @inline(__always)
    static func isLower(_ b: UInt8) -> Bool { (b >= 0x61 && b <= 0x7A) || b >= 0x80 }
    @inline(__always)
    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    /// Calls `emit` with every token of `bytes`.
    static func tokenize(
        _ bytes: UnsafeBufferPointer<UInt8>, scratch: inout [UInt8],
        _ emit: (UnsafeBufferPointer<UInt8>, _ isWhole: Bool) -> Void
    ) {
        var i = 0
        let n = bytes.count
        while i < n {
            guard isIdentByte(bytes[i]) else { i += 1; continue }
            var j = i + 1
            while j < n && isIdentByte(bytes[j]) { j += 1 }
            identifier(UnsafeBufferPointer(rebasing: bytes[i..<j]), scratch: &scratch, emit)
            i = j
        }
    }

    /// Calls `emit` with the tokens of a single identifier run.
    static func identifier(
        _ id: UnsafeBufferPointer<UInt8>, scratch: inout [UInt8],
        _ emit: (UnsafeBufferPointer<UInt8>, _ isWhole: Bool) -> Void
    ) {
        let n = id.count
        if n > 200 || n == 0 { return }
        // Part boundaries (at most one part per byte), on the stack.
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * n) { bounds in
            var parts = 0
            var k = 0
            while k < n {
                if id[k] == 0x5F { k += 1; continue }
                let s = k
                k += 1
                while k < n {
                    let p = id[k - 1], c = id[k]
                    if c == 0x5F { break }
                    if isDigit(c) != isDigit(p) { break }
                    if isUpper(c) && isLower(p) { break }
                    if isUpper(p) && isUpper(c) && k + 1 < n && isLower(id[k + 1]) && !isDigit(id[k + 1]) { break }
                    k += 1
                }
                bounds[2 * parts] = s
                bounds[2 * parts + 1] = k
                parts += 1
            }
            if parts == 0 { return }
            // Whole identifier.
            scratch.removeAll(keepingCapacity: true)
            for b in id where b != 0x5F { scratch.append(lower(b)) }
            emitStemmed(&scratch, true, emit)
            if parts == 1 { return }
            for p in 0..<parts {
                scratch.removeAll(keepingCapacity: true)
                for q in bounds[2 * p]..<bounds[2 * p + 1] { scratch.append(lower(id[q])) }
                emitStemmed(&scratch, false, emit)
            }
            if parts >= 3 {
                for p in 0..<(parts - 1) {
                    scratch.removeAll(keepingCapacity: true)
                    for q in bounds[2 * p]..<bounds[2 * p + 1] { scratch.append(lower(id[q])) }
                    for q in bounds[2 * p + 2]..<bounds[2 * p + 3] { scratch.append(lower(id[q])) }
                    emitStemmed(&scratch, false, emit)
                }
            }
        }
    }

    @inline(__always)
    static func lower(_ b: UInt8) -> UInt8 { isUpper(b) ? b | 0x20 : b }

    @inline(__always)
    private static func emitStemmed(
        _ t: inout [UInt8], _ whole: Bool, _ emit: (UnsafeBufferPointer<UInt8>, Bool) -> Void
    ) {
        if t.count < 2 || t.count > maxTokenLength { return }
        stem(&t)
        t.withUnsafeBufferPointer { emit($0, whole) }
    }

    /// Light plural stemming in place: `ies` → `y`, trailing `s` dropped (not `ss`, `us`, `is`).
    static func stem(_ t: inout [UInt8]) {
        let n = t.count
        guard n >= 4, t[n - 1] == 0x73 else { return }
        let p = t[n - 2]
        if n >= 5 && p == 0x65 && t[n - 3] == 0x69 {
            t.removeLast(3)
            t.append(0x79)
        } else if p != 0x73 && p != 0x75 && p != 0x69 && !isDigit(p) {
            t.removeLast()
        }
    }

    /// Tokenizes a `String` into lowercased token strings (for tests and query parsing).
    static func tokens(_ text: String, wholeOnly: Bool = false) -> [String] {
        var out: [String] = []
        var scratch: [UInt8] = []
        var copy = text
        copy.withUTF8 { buf in
            tokenize(buf, scratch: &scratch) { tok, whole in
                if !wholeOnly || whole { out.append(String(decoding: tok, as: UTF8.self)) }
            }
        }
        return out
    }
}
