/// Splits source lines into code and comment text, carrying block-comment state across lines.
///
/// Braces inside string literals are blanked in the code output so declaration scanning keeps a sane depth.
struct LineSplitter {
    let style: SourceLanguage.CommentStyle
    let singleQuoteStrings: Bool
    private var inBlock = false

    init(style: SourceLanguage.CommentStyle, language: SourceLanguage) {
        self.style = style
        switch language {
        case .swift, .rust, .c, .cpp, .java, .kotlin, .csharp, .scala, .go: singleQuoteStrings = false
        default: singleQuoteStrings = true
        }
    }

    /// Writes the code part of `line` to `code` and its comment part to `comment`.
    mutating func split(_ line: UnsafeBufferPointer<UInt8>, code: inout [UInt8], comment: inout [UInt8]) {
        let n = max(line.count, 1)
        let codeOut = UnsafeMutablePointer<UInt8>.allocate(capacity: n)
        let commentOut = UnsafeMutablePointer<UInt8>.allocate(capacity: n)
        defer {
            codeOut.deallocate()
            commentOut.deallocate()
        }
        let (c, m) = split(line, codeInto: codeOut, commentInto: commentOut)
        code = Array(UnsafeBufferPointer(start: codeOut, count: c))
        comment = Array(UnsafeBufferPointer(start: commentOut, count: m))
    }

    /// Writes the code part of `line` to `code` and its comment part to `comment`, each with room for
    /// `line.count` bytes; returns both lengths.
    mutating func split(
        _ line: UnsafeBufferPointer<UInt8>, codeInto code: UnsafeMutablePointer<UInt8>,
        commentInto comment: UnsafeMutablePointer<UInt8>
    ) -> (code: Int, comment: Int) {
        let n = line.count
        guard n > 0, let p = line.baseAddress else { return (0, 0) }
        switch style {
        case .prose:
            comment.update(from: p, count: n)
            return (0, n)
        case .none:
            code.update(from: p, count: n)
            return (n, 0)
        case .hash, .slash:
            break
        }
        let slash = style == .slash
        let singleQuotes = singleQuoteStrings
        let table = LineSplitter.specials[(slash ? 0 : 2) + (singleQuotes ? 1 : 0)]
        var c = 0, m = 0
        var i = 0
        var quote: UInt8 = 0
        var block = inBlock
        defer { inBlock = block }
        while i < n {
            if block {
                // Up to the closing "*/", all comment.
                var j = i
                var closed = false
                while j + 1 < n {
                    if p[j] == 0x2A && p[j + 1] == 0x2F {
                        closed = true
                        break
                    }
                    j += 1
                }
                if !closed { j = n }
                (comment + m).update(from: p + i, count: j - i)
                m += j - i
                if !closed { break }
                block = false
                comment[m] = 0x20
                m += 1
                i = j + 2
                continue
            }
            let b = p[i]
            if quote != 0 {
                if b == 0x5C {
                    code[c] = b
                    c += 1
                    if i + 1 < n {
                        code[c] = p[i + 1]
                        c += 1
                    }
                    i += 2
                    continue
                }
                if b == quote { quote = 0 }
                code[c] = b == 0x7B || b == 0x7D ? 0x20 : b
                c += 1
                i += 1
                continue
            }
            if table.special(b) == false {
                // A run of plain code.
                var j = i + 1
                while j < n && !table.special(p[j]) { j += 1 }
                (code + c).update(from: p + i, count: j - i)
                c += j - i
                i = j
                continue
            }
            if b == 0x22 || b == 0x27 || b == 0x60 {
                quote = b
                code[c] = b
                c += 1
                i += 1
                continue
            }
            if slash, i + 1 < n {
                let next = p[i + 1]
                if next == 0x2F {
                    (comment + m).update(from: p + i + 2, count: n - i - 2)
                    return (c, m + n - i - 2)
                }
                if next == 0x2A {
                    block = true
                    i += 2
                    continue
                }
            }
            if !slash {
                (comment + m).update(from: p + i + 1, count: n - i - 1)
                return (c, m + n - i - 1)
            }
            code[c] = b
            c += 1
            i += 1
        }
        return (c, m)
    }

    /// Bytes that end a run of plain code, per (slash or hash comments) × (single-quote strings or not).
    private static let specials: [ByteSet] = [
        ByteSet([0x22, 0x2F]), ByteSet([0x22, 0x2F, 0x27, 0x60]),
        ByteSet([0x22, 0x23]), ByteSet([0x22, 0x23, 0x27, 0x60]),
    ]
}

/// A set of byte values as a 256-bit mask.
struct ByteSet: Sendable {
    private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    init(_ bytes: [UInt8]) {
        for b in bytes {
            let bit = UInt64(1) << UInt64(b & 63)
            switch b >> 6 {
            case 0: words.0 |= bit
            case 1: words.1 |= bit
            case 2: words.2 |= bit
            default: words.3 |= bit
            }
        }
    }

    @inline(__always)
    func special(_ b: UInt8) -> Bool {
        let bit = UInt64(1) << UInt64(b & 63)
        switch b >> 6 {
        case 0: return words.0 & bit != 0
        case 1: return words.1 & bit != 0
        case 2: return words.2 & bit != 0
        default: return words.3 & bit != 0
        }
    }
}
