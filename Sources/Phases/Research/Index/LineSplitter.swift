/// Splits source lines into code and comment text, carrying block-comment state across lines.
///
/// Braces inside string literals are blanked in the code output so declaration scanning keeps a sane depth.
struct LineSplitter {
    let style: SourceLanguage.CommentStyle
    let singleQuoteStrings: Bool
    private var inBlock = false
    /// The bytes that end a run of plain code (see ``specials``), each repeated in all eight bytes of a word.
    private let stops: (UInt64, UInt64, UInt64, UInt64)

    init(style: SourceLanguage.CommentStyle, language: SourceLanguage) {
        self.style = style
        switch language {
        case .swift, .rust, .c, .cpp, .java, .kotlin, .csharp, .scala, .go: singleQuoteStrings = false
        default: singleQuoteStrings = true
        }
        let ones: UInt64 = 0x0101_0101_0101_0101
        let comment: UInt64 = style == .hash ? 0x23 : 0x2F
        let quote: UInt64 = 0x22
        stops =
            singleQuoteStrings
            ? (quote &* ones, comment &* ones, 0x27 &* ones, 0x60 &* ones)
            : (quote &* ones, comment &* ones, quote &* ones, comment &* ones)
    }

    /// Whether the eight bytes in `w` may include a byte that ends a plain run (never `false` when one does).
    @inline(__always)
    private func mayStop(_ w: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let a = w ^ stops.0
        let b = w ^ stops.1
        let c = w ^ stops.2
        let d = w ^ stops.3
        return ((a &- ones) & ~a | (b &- ones) & ~b | (c &- ones) & ~c | (d &- ones) & ~d) & highs != 0
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
        let r = split(line, codeInto: code, commentInto: comment, keepWholeCode: false)
        return (r.code, r.comment)
    }

    /// ``split(_:codeInto:commentInto:)``, except that a line that is code from end to end, unchanged and with no
    /// comment, is not copied: then `isWholeLine` is set, the code is `line` itself and nothing was written.
    mutating func splitKeepingWholeCode(
        _ line: UnsafeBufferPointer<UInt8>, codeInto code: UnsafeMutablePointer<UInt8>,
        commentInto comment: UnsafeMutablePointer<UInt8>
    ) -> (code: Int, comment: Int, isWholeLine: Bool) {
        split(line, codeInto: code, commentInto: comment, keepWholeCode: true)
    }

    @inline(__always)
    private mutating func split(
        _ line: UnsafeBufferPointer<UInt8>, codeInto code: UnsafeMutablePointer<UInt8>,
        commentInto comment: UnsafeMutablePointer<UInt8>, keepWholeCode: Bool
    ) -> (code: Int, comment: Int, isWholeLine: Bool) {
        let n = line.count
        guard n > 0, let p = line.baseAddress else { return (0, 0, false) }
        switch style {
        case .prose:
            comment.update(from: p, count: n)
            return (0, n, false)
        case .none:
            if keepWholeCode { return (n, 0, true) }
            code.update(from: p, count: n)
            return (n, 0, false)
        case .hash, .slash:
            break
        }
        let slash = style == .slash
        let singleQuotes = singleQuoteStrings
        let table = LineSplitter.specials + 256 * ((slash ? 0 : 2) + (singleQuotes ? 1 : 0))
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
            if table[Int(b)] == 0 {
                // A run of plain code: eight bytes at a time while none can end it, then byte by byte.
                var j = i + 1
                while j + 8 <= n, !mayStop(UnsafeRawPointer(p + j).loadUnaligned(as: UInt64.self)) { j += 8 }
                while j < n && table[Int(p[j])] == 0 { j += 1 }
                // The whole line is one plain run (nothing before it: not in a block comment, c == 0).
                if keepWholeCode && i == 0 && j == n && !block { return (n, 0, true) }
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
                    return (c, m + n - i - 2, false)
                }
                if next == 0x2A {
                    block = true
                    i += 2
                    continue
                }
            }
            if !slash {
                (comment + m).update(from: p + i + 1, count: n - i - 1)
                return (c, m + n - i - 1, false)
            }
            code[c] = b
            c += 1
            i += 1
        }
        return (c, m, false)
    }

    /// Bytes that end a run of plain code: four 256-byte tables for (slash or hash comments) × (single-quote strings
    /// or not), nonzero for `"`, the comment start, and `'` and `` ` `` where those quote strings.
    // nonisolated(unsafe): written once during static initialization, read-only afterwards.
    nonisolated(unsafe) private static let specials: UnsafePointer<UInt8> = {
        let t = UnsafeMutablePointer<UInt8>.allocate(capacity: 1024)
        t.initialize(repeating: 0, count: 1024)
        for (k, bytes) in [[0x22, 0x2F], [0x22, 0x2F, 0x27, 0x60], [0x22, 0x23], [0x22, 0x23, 0x27, 0x60]].enumerated() {
            for b in bytes { t[256 * k + b] = 1 }
        }
        return UnsafePointer(t)
    }()
}
