/// The indexer's tokenizer: the same tokens as ``Tokenizer``, produced as ``TermHash`` values straight into a
/// ``TermCounter`` with no allocation per token.
///
/// ``Tokenizer`` is the reference; `HashingTokenizerTests` prove both give the same term multisets. A plain value over
/// manually managed memory, like ``TermCounter``: the owner calls ``deallocate()`` once.
struct HashingTokenizer {
    private static let identBit: UInt8 = 1
    private static let upperBit: UInt8 = 2
    private static let lowerBit: UInt8 = 4
    private static let digitBit: UInt8 = 8

    /// Byte classes: identifier, upper, lower (including every byte ≥ 0x80), digit.
    private let classes: UnsafeMutablePointer<UInt8>
    /// Lowercased copy of the current identifier.
    private let lowered: UnsafeMutablePointer<UInt8>
    /// The token being emitted (≤ 2 parts of ≤ 200 bytes).
    private let token: UnsafeMutablePointer<UInt8>
    private let starts: UnsafeMutablePointer<Int32>
    private let ends: UnsafeMutablePointer<Int32>
    /// Hash of the last whole-identifier token when captured.
    private(set) var wholeHash: UInt64 = 0
    private let whole: UnsafeMutablePointer<UInt8>
    private var wholeLength = 0
    /// Term hashes of the last ``split(_:count:captureWhole:)`` (at most 1 + 200 + 199).
    private let emitted: UnsafeMutablePointer<UInt64>
    private var emittedCount = 0

    init() {
        classes = .allocate(capacity: 256)
        for b in 0..<256 {
            let v = UInt8(b)
            var c: UInt8 = 0
            if Tokenizer.isIdentByte(v) { c |= Self.identBit }
            if Tokenizer.isUpper(v) { c |= Self.upperBit }
            if Tokenizer.isLower(v) { c |= Self.lowerBit }
            if Tokenizer.isDigit(v) { c |= Self.digitBit }
            classes[b] = c
        }
        lowered = .allocate(capacity: 256)
        token = .allocate(capacity: 512)
        starts = .allocate(capacity: 256)
        ends = .allocate(capacity: 256)
        whole = .allocate(capacity: 128)
        emitted = .allocate(capacity: 512)
    }

    /// Frees the memory; call once, from the owner.
    func deallocate() {
        classes.deallocate()
        lowered.deallocate()
        token.deallocate()
        starts.deallocate()
        ends.deallocate()
        whole.deallocate()
        emitted.deallocate()
    }

    /// Counts every identifier run of `count` bytes at `p` in `field`; ``identifier(_:count:times:into:captureWhole:)``
    /// later turns each distinct run into tokens.
    @inline(__always)
    func scan(
        _ p: UnsafePointer<UInt8>, count n: Int, field: Int, into identifiers: inout IdentifierCounter
    ) {
        let cls = classes
        var i = 0
        while i < n {
            if cls[Int(p[i])] & Self.identBit == 0 {
                i += 1
                continue
            }
            var j = i + 1
            while j < n && cls[Int(p[j])] & Self.identBit != 0 { j += 1 }
            if j - i <= 200 { identifiers.add(p + i, count: j - i, field: field) }
            i = j
        }
    }

    /// Counts the tokens of one identifier run, `times` per field; returns whether it produced a whole-identifier token (then
    /// ``wholeHash`` and ``withWhole(_:)`` describe it when `captureWhole` is set).
    @discardableResult
    mutating func identifier(
        _ id: UnsafePointer<UInt8>, count n: Int, times: FieldTimes, into counter: inout TermCounter,
        captureWhole: Bool
    ) -> Bool {
        let emittedWhole = split(id, count: n, captureWhole: captureWhole)
        for h in terms { counter.add(h, times: times) }
        return emittedWhole
    }

    /// The term hashes of the last ``split(_:count:captureWhole:)``, one per token (a token repeated within the
    /// identifier appears as often as it occurs).
    var terms: UnsafeBufferPointer<UInt64> { UnsafeBufferPointer(start: emitted, count: emittedCount) }

    /// Splits one identifier run into its tokens and hashes them into ``terms``; returns whether it produced a
    /// whole-identifier token (then ``wholeHash`` and ``withWhole(_:)`` describe it when `captureWhole` is set).
    @discardableResult
    mutating func split(_ id: UnsafePointer<UInt8>, count n: Int, captureWhole: Bool) -> Bool {
        emittedCount = 0
        if n > 200 { return false }
        let cls = classes
        // Part boundaries, as in Tokenizer.identifier; lowercase as we go.
        var parts = 0
        var k = 0
        var underscores = false
        while k < n {
            let b0 = id[k]
            if b0 == 0x5F {
                underscores = true
                lowered[k] = b0
                k += 1
                continue
            }
            let s = k
            lowered[k] = cls[Int(b0)] & Self.upperBit != 0 ? b0 | 0x20 : b0
            k += 1
            while k < n {
                let c = id[k]
                if c == 0x5F { break }
                let pc = cls[Int(id[k - 1])], cc = cls[Int(c)]
                if (pc ^ cc) & Self.digitBit != 0 { break }
                if cc & Self.upperBit != 0 {
                    if pc & Self.lowerBit != 0 { break }
                    if pc & Self.upperBit != 0 && k + 1 < n {
                        let nc = cls[Int(id[k + 1])]
                        if nc & Self.lowerBit != 0 && nc & Self.digitBit == 0 { break }
                    }
                }
                lowered[k] = cc & Self.upperBit != 0 ? c | 0x20 : c
                k += 1
            }
            starts[parts] = Int32(s)
            ends[parts] = Int32(k)
            parts += 1
        }
        if parts == 0 { return false }
        // Whole identifier, underscores dropped.
        var length = 0
        if underscores {
            for q in 0..<n where lowered[q] != 0x5F {
                token[length] = lowered[q]
                length += 1
            }
        } else {
            token.update(from: lowered, count: n)
            length = n
        }
        let emittedWhole = emit(length, capture: captureWhole)
        if parts == 1 { return emittedWhole }
        for p in 0..<parts {
            let s = Int(starts[p]), e = Int(ends[p])
            token.update(from: lowered + s, count: e - s)
            emit(e - s, capture: false)
        }
        if parts >= 3 {
            for p in 0..<(parts - 1) {
                let s1 = Int(starts[p]), e1 = Int(ends[p])
                let s2 = Int(starts[p + 1]), e2 = Int(ends[p + 1])
                token.update(from: lowered + s1, count: e1 - s1)
                (token + (e1 - s1)).update(from: lowered + s2, count: e2 - s2)
                emit(e1 - s1 + e2 - s2, capture: false)
            }
        }
        return emittedWhole
    }

    /// Calls `body` with the bytes of the last captured whole-identifier token.
    func withWhole<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        body(UnsafeBufferPointer(start: whole, count: wholeLength))
    }

    /// Stems and hashes the `length` bytes in ``token`` into ``terms``; returns whether a token was produced.
    @inline(__always)
    @discardableResult
    private mutating func emit(_ length: Int, capture: Bool) -> Bool {
        if length < 2 || length > Tokenizer.maxTokenLength { return false }
        var n = length
        // Light plural stemming, as Tokenizer.stem.
        if n >= 4 && token[n - 1] == 0x73 {
            let p = token[n - 2]
            if n >= 5 && p == 0x65 && token[n - 3] == 0x69 {
                token[n - 3] = 0x79
                n -= 2
            } else if p != 0x73 && p != 0x75 && p != 0x69 && !(p >= 0x30 && p <= 0x39) {
                n -= 1
            }
        }
        let h = TermHash.of(padded: token, count: n)
        emitted[emittedCount] = h
        emittedCount += 1
        if capture {
            wholeHash = h
            whole.update(from: token, count: n)
            wholeLength = n
        }
        return true
    }
}
