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
    /// later turns each distinct run into tokens. At least ``slack`` readable bytes must follow `p + count`.
    @inline(__always)
    func scan(
        _ p: UnsafePointer<UInt8>, count n: Int, field: Int, into identifiers: inout IdentifierCounter
    ) {
        HashingTokenizer.forEachRun(p, count: n) { start, length in
            if length <= 200 { identifiers.add(p + start, count: length, field: field) }
        }
    }

    /// Readable bytes ``scan(_:count:field:into:)`` needs after its text: it classifies 32 bytes at a time.
    static let slack = 32

    /// Calls `body(start, length)` for every maximal run of identifier bytes (``Tokenizer/isIdentByte(_:)``) in the
    /// `count` bytes at `p`, in order. At least ``slack`` readable bytes must follow `p + count` (their values do not
    /// matter).
    ///
    /// Classifies 32 bytes at a time into a bit mask and walks its runs of ones, carrying a run that reaches the end of
    /// one block into the next, so the work per run is a few bit operations rather than a branch per byte.
    @inline(__always)
    static func forEachRun(_ p: UnsafePointer<UInt8>, count n: Int, _ body: (_ start: Int, _ length: Int) -> Void) {
        var i = 0
        // Start of a run that reached the end of the previous block, or -1.
        var open = -1
        while i < n {
            var m = identifierBits(p + i)
            let left = n - i
            if left < 32 { m &= (1 << UInt64(left)) &- 1 }
            if open >= 0 {
                // Bits 32 and up of ~m are set, so z ≤ 32.
                let z = (~m).trailingZeroBitCount
                if z == 32 {
                    i += 32
                    continue
                }
                body(open, i + z - open)
                open = -1
                m &= m &+ 1  // drop the run's trailing ones
            }
            while m != 0 {
                let s = m.trailingZeroBitCount
                let filled = m | (m &- 1)  // ones up to the end of the run starting at s
                let e = (~filled).trailingZeroBitCount
                if e == 32 {
                    open = i + s
                    break
                }
                body(i + s, e - s)
                m &= filled &+ 1  // drop the run
            }
            i += 32
        }
        if open >= 0 { body(open, n - open) }
    }

    /// Bit k (k < 32) set when `p[k]` is an identifier byte: `[0-9A-Za-z_]` or ≥ 0x80, as ``Tokenizer/isIdentByte(_:)``.
    @inline(__always)
    static func identifierBits(_ p: UnsafePointer<UInt8>) -> UInt64 {
        let raw = UnsafeRawPointer(p)
        let lo = identifierBits16(raw.loadUnaligned(as: SIMD16<UInt8>.self))
        let hi = identifierBits16(raw.loadUnaligned(fromByteOffset: 16, as: SIMD16<UInt8>.self))
        return lo | hi << 16
    }

    @inline(__always)
    private static func identifierBits16(_ v: SIMD16<UInt8>) -> UInt64 {
        // Letters (either case, folded to lowercase), digits, underscore, and every byte ≥ 0x80. Operands are whole
        // vectors on purpose: the vector-with-scalar operators compile to a loop over the lanes.
        typealias V = SIMD16<UInt8>
        let letter = ((v | V(repeating: 0x20)) &- V(repeating: 0x61)) .< V(repeating: 26)
        let digit = (v &- V(repeating: 0x30)) .< V(repeating: 10)
        let ident = letter .| digit .| (v .== V(repeating: 0x5F)) .| (v .>= V(repeating: 0x80))
        // One byte per lane (0 or 1) to one bit per lane: the multiply gathers each 8-byte half's bytes into its top byte.
        let ones = V(repeating: 0).replacing(with: V(repeating: 1), where: ident)
        let w = unsafeBitCast(ones, to: SIMD2<UInt64>.self)
        let gather: UInt64 = 0x0102_0408_1020_4080
        return (w[0] &* gather) >> 56 | ((w[1] &* gather) >> 56) << 8
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
