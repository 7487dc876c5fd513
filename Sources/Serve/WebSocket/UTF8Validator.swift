/// An incremental UTF-8 validator that accepts input in arbitrary pieces (RFC 3629 §4).
///
/// It fails on the first byte that can never be part of valid UTF-8, so a text message split across fragments is
/// rejected as soon as the offending fragment arrives (RFC 6455 §8.1 "fail fast"). A multi-byte character split
/// between two pieces is accepted.
struct UTF8Validator: Sendable {
    /// Continuation bytes still expected for the current character.
    private var needed = 0
    /// The inclusive range allowed for the next continuation byte (narrowed after E0, ED, F0 and F4).
    private var lower: UInt8 = 0x80
    private var upper: UInt8 = 0xBF

    /// Whether the input so far ends on a character boundary.
    var isComplete: Bool { needed == 0 }

    /// Feeds more bytes; returns `false` as soon as the input cannot be valid UTF-8.
    mutating func consume(_ bytes: some Sequence<UInt8>) -> Bool {
        for byte in bytes {
            if needed == 0 {
                switch byte {
                case 0x00...0x7F: continue
                case 0xC2...0xDF: needed = 1
                case 0xE0...0xEF:
                    needed = 2
                    if byte == 0xE0 { lower = 0xA0 }  // overlong
                    if byte == 0xED { upper = 0x9F }  // UTF-16 surrogates
                case 0xF0...0xF4:
                    needed = 3
                    if byte == 0xF0 { lower = 0x90 }  // overlong
                    if byte == 0xF4 { upper = 0x8F }  // above U+10FFFF
                default: return false
                }
            } else {
                guard byte >= lower && byte <= upper else { return false }
                lower = 0x80
                upper = 0xBF
                needed -= 1
            }
        }
        return true
    }

    /// Whether `bytes` is, as a whole, valid UTF-8.
    static func isValid(_ bytes: some Sequence<UInt8>) -> Bool {
        var validator = UTF8Validator()
        return validator.consume(bytes) && validator.isComplete
    }
}
