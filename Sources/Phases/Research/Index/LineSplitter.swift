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
        code.removeAll(keepingCapacity: true)
        comment.removeAll(keepingCapacity: true)
        switch style {
        case .prose:
            comment.append(contentsOf: line)
            return
        case .none:
            code.append(contentsOf: line)
            return
        case .hash, .slash:
            break
        }
        let n = line.count
        var i = 0
        var quote: UInt8 = 0
        while i < n {
            let b = line[i]
            if inBlock {
                if b == 0x2A, i + 1 < n, line[i + 1] == 0x2F {
                    inBlock = false
                    comment.append(0x20)
                    i += 2
                    continue
                }
                comment.append(b)
                i += 1
                continue
            }
            if quote != 0 {
                if b == 0x5C {
                    code.append(b)
                    if i + 1 < n { code.append(line[i + 1]) }
                    i += 2
                    continue
                }
                if b == quote { quote = 0 }
                code.append(b == 0x7B || b == 0x7D ? 0x20 : b)
                i += 1
                continue
            }
            if b == 0x22 || (b == 0x27 && singleQuoteStrings) || (b == 0x60 && singleQuoteStrings) {
                quote = b
                code.append(b)
                i += 1
                continue
            }
            if style == .slash, b == 0x2F, i + 1 < n {
                let c = line[i + 1]
                if c == 0x2F {
                    comment.append(contentsOf: UnsafeBufferPointer(rebasing: line[(i + 2)..<n]))
                    return
                }
                if c == 0x2A {
                    inBlock = true
                    i += 2
                    continue
                }
            }
            if style == .hash, b == 0x23 {
                comment.append(contentsOf: UnsafeBufferPointer(rebasing: line[(i + 1)..<n]))
                return
            }
            code.append(b)
            i += 1
        }
    }
}
