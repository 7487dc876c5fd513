import Testing

@testable import Phases

/// ``HashingTokenizer/scan(_:count:field:into:)`` finds identifier runs 32 bytes at a time; these compare it with the
/// byte-at-a-time definition (``Tokenizer/isIdentByte(_:)``) on random and adversarial buffers.
@Suite struct HashingTokenizerTests {
    struct Run: Equatable, CustomStringConvertible {
        var start: Int
        var length: Int
        var description: String { "\(start)+\(length)" }
    }

    /// The byte-at-a-time definition of identifier runs.
    static func referenceRuns(_ bytes: [UInt8]) -> [Run] {
        var runs: [Run] = []
        var i = 0
        while i < bytes.count {
            guard Tokenizer.isIdentByte(bytes[i]) else {
                i += 1
                continue
            }
            var j = i + 1
            while j < bytes.count && Tokenizer.isIdentByte(bytes[j]) { j += 1 }
            runs.append(Run(start: i, length: j - i))
            i = j
        }
        return runs
    }

    /// Calls `body` with a copy of `bytes` followed by ``HashingTokenizer/slack`` bytes of `filler`.
    static func withPadded<R>(_ bytes: [UInt8], filler: UInt8, _ body: (UnsafePointer<UInt8>) -> R) -> R {
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: bytes.count + HashingTokenizer.slack)
        defer { p.deallocate() }
        p.initialize(repeating: filler, count: bytes.count + HashingTokenizer.slack)
        bytes.withUnsafeBufferPointer { if let base = $0.baseAddress { p.update(from: base, count: $0.count) } }
        return body(p)
    }

    static func vectorRuns(_ bytes: [UInt8], filler: UInt8) -> [Run] {
        withPadded(bytes, filler: filler) { p in
            var runs: [Run] = []
            HashingTokenizer.forEachRun(p, count: bytes.count) { runs.append(Run(start: $0, length: $1)) }
            return runs
        }
    }

    static func check(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        let expected = referenceRuns(bytes)
        // Slack filled with identifier bytes, then with separators: neither may leak into the last run.
        for filler: UInt8 in [0x61, 0x20, 0xFF] {
            let got = vectorRuns(bytes, filler: filler)
            #expect(got == expected, "bytes \(bytes) filler \(filler)", sourceLocation: sourceLocation)
        }
    }

    @Test func identifierBits_matchIsIdentByte_forEveryByte() {
        for b in 0..<256 {
            let bytes = [UInt8](repeating: UInt8(b), count: 32)
            let bits = bytes.withUnsafeBufferPointer { HashingTokenizer.identifierBits($0.baseAddress!) }
            #expect(bits == (Tokenizer.isIdentByte(UInt8(b)) ? 0xFFFF_FFFF : 0), "byte \(b)")
        }
        // Every byte in every lane position.
        for lane in 0..<32 {
            for b in 0..<256 {
                var bytes = [UInt8](repeating: 0x20, count: 32)
                bytes[lane] = UInt8(b)
                let bits = bytes.withUnsafeBufferPointer { HashingTokenizer.identifierBits($0.baseAddress!) }
                #expect(bits == (Tokenizer.isIdentByte(UInt8(b)) ? 1 << UInt64(lane) : 0), "byte \(b) lane \(lane)")
            }
        }
    }

    @Test func runs_matchReference_onRandomBytes() {
        var random = SplitMix(seed: 1)
        for _ in 0..<3000 {
            let n = random.below(300)
            // Uniform bytes, mostly-identifier bytes (long runs), and text-like bytes.
            let mode = random.below(3)
            var bytes: [UInt8] = []
            for _ in 0..<n {
                switch mode {
                case 0: bytes.append(UInt8(truncatingIfNeeded: random.next()))
                case 1: bytes.append(random.below(40) == 0 ? 0x2E : UInt8(truncatingIfNeeded: random.next()) | 0x40)
                default:
                    let text: [UInt8] = Array("  let fooBar_9 = Ünïcode(x, y) // café {}\t".utf8) + [0x80, 0xC3, 0x7F]
                    bytes.append(text[random.below(text.count)])
                }
            }
            Self.check(bytes)
        }
    }

    @Test func runs_matchReference_atBlockBoundaries() {
        let a = UInt8(ascii: "a"), space = UInt8(ascii: " ")
        for total in [0, 1, 15, 16, 17, 31, 32, 33, 63, 64, 65, 96, 250] {
            for start in 0...min(total, 70) {
                for length in [1, 2, 15, 16, 17, 31, 32, 33, 64, 65, 199, 200, 201, 202] where start + length <= total {
                    var bytes = [UInt8](repeating: space, count: total)
                    for k in start..<(start + length) { bytes[k] = k % 7 == 0 ? 0x80 : a }
                    Self.check(bytes)
                    // The same run with identifier bytes all around but one separator on each side.
                    var dense = [UInt8](repeating: a, count: total)
                    if start > 0 { dense[start - 1] = space }
                    if start + length < total { dense[start + length] = space }
                    Self.check(dense)
                }
            }
        }
        Self.check([UInt8](repeating: 0xE2, count: 1000))
        Self.check((0..<1000).map { $0 % 2 == 0 ? a : space })
        Self.check((0..<1000).map { $0 % 33 == 32 ? space : a })
    }

    /// What ``HashingTokenizer/scan(_:count:field:into:)`` counted: identifier bytes → (path, name, comment, code).
    static func counted(_ counter: IdentifierCounter) -> [[UInt8]: [UInt32]] {
        var out: [[UInt8]: [UInt32]] = [:]
        for k in 0..<counter.count {
            let e = counter.entries[k]
            let bytes = Array(UnsafeBufferPointer(start: counter.bytes + Int(e.offset), count: Int(e.length)))
            #expect(out[bytes] == nil)
            out[bytes] = [e.counts.path, e.counts.name, e.counts.comment, e.counts.code]
        }
        return out
    }

    @Test func scan_countsRunsOfAtMost200Bytes_perField() {
        var random = SplitMix(seed: 7)
        let tokenizer = HashingTokenizer()
        defer { tokenizer.deallocate() }
        var counter = IdentifierCounter()
        defer { counter.deallocate() }
        let words: [[UInt8]] = [
            Array("foo".utf8), Array("fooBar".utf8), Array("über".utf8), Array("x".utf8), Array("_".utf8),
            [UInt8](repeating: 0x62, count: 200), [UInt8](repeating: 0x62, count: 201), [UInt8](repeating: 0x63, count: 31),
            [UInt8](repeating: 0x64, count: 32), [UInt8](repeating: 0x65, count: 33),
        ]
        let separators: [[UInt8]] = [[0x20], [0x2E], Array("  (".utf8), [UInt8](repeating: 0x20, count: 40)]
        for round in 0..<200 {
            counter.reset(expected: 16)
            var expected: [[UInt8]: [UInt32]] = [:]
            for _ in 0..<(1 + random.below(4)) {
                let field = random.below(4)
                var bytes: [UInt8] = []
                for _ in 0..<random.below(30) {
                    if random.below(2) == 0 {
                        bytes += separators[random.below(separators.count)]
                    } else {
                        bytes += words[random.below(words.count)]
                    }
                }
                for run in Self.referenceRuns(bytes) where run.length <= 200 {
                    let id = Array(bytes[run.start..<(run.start + run.length)])
                    expected[id, default: [0, 0, 0, 0]][field] += 1
                }
                Self.withPadded(bytes, filler: 0x61) { p in
                    tokenizer.scan(p, count: bytes.count, field: field, into: &counter)
                }
            }
            #expect(Self.counted(counter) == expected, "round \(round)")
        }
    }
}
