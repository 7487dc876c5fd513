extension TaskQuery {
    /// True for identifiers written like code: inner capitals, underscores or digits after letters.
    static func isCodeLike(_ s: String) -> Bool {
        let scalars = Array(s.unicodeScalars)
        guard scalars.count >= 3, let first = scalars.first, first.properties.isAlphabetic || first == "_" else {
            return false
        }
        if s.contains("_") { return scalars.contains { $0.properties.isAlphabetic } }
        var upperInside = 0
        var lowers = 0
        for (i, c) in scalars.enumerated() {
            if c.properties.isUppercase, i > 0 { upperInside += 1 }
            if c.properties.isLowercase { lowers += 1 }
        }
        // camelCase / PascalCase with an inner capital, e.g. flatMap, EventLoop, HTTPDecoder.
        return upperInside >= 1 && lowers >= 1
    }

    /// Words of `text`: runs of letters, digits, `_` (and `.`/`/` between word characters when `allowDots`).
    static func words(_ text: String, allowDots: Bool) -> [String] {
        var out: [String] = []
        var current = ""
        let chars = Array(text)
        for (i, c) in chars.enumerated() {
            if c.isLetter || c.isNumber || c == "_" {
                current.append(c)
            } else if allowDots, c == "." || c == "/", !current.isEmpty, i + 1 < chars.count,
                chars[i + 1].isLetter || chars[i + 1] == "_"
            {
                current.append(c)
            } else if !current.isEmpty {
                out.append(current)
                current = ""
            }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    /// Sibling names spelled as shorthand: `Rigid/UniqueArray`, `Rigid and UniqueArray` → `RigidArray`;
    /// `UniqueArray/Dictionary` → `UniqueDictionary`. One side is a single capitalized word, the other a
    /// PascalCase identifier of two or more parts; the single word replaces the identifier's first (or last) part.
    static func siblingNames(_ text: String) -> [String] {
        var tokens: [String] = []
        var current = ""
        func flush() {
            if !current.isEmpty { tokens.append(current) }
            current = ""
        }
        for c in text {
            if c.isLetter || c.isNumber || c == "_" {
                current.append(c)
            } else {
                flush()
                if c == "/" || c == "&" { tokens.append(String(c)) }
            }
        }
        flush()
        var out: [String] = []
        for i in tokens.indices {
            let a = tokens[i]
            var j = i + 1
            guard j < tokens.count else { break }
            let sep = tokens[j]
            guard ["/", "&", "and", "or"].contains(sep) else { continue }
            j += 1
            guard j < tokens.count else { continue }
            let b = tokens[j]
            let pa = pascalParts(a), pb = pascalParts(b)
            if pa.count == 1, pb.count >= 2, pa[0] != pb[0] {
                out.append(pa[0] + pb.dropFirst().joined())
            } else if pb.count == 1, pa.count >= 2, pa.last != pb[0] {
                out.append(pa.dropLast().joined() + pb[0])
            }
        }
        return out
    }

    /// Parts of a PascalCase word (`UniqueArray` → `Unique`, `Array`); empty unless it starts with a capital
    /// followed by a lowercase letter and contains only letters and digits.
    static func pascalParts(_ word: String) -> [String] {
        let chars = Array(word)
        guard chars.count >= 3, chars[0].isUppercase, chars[1].isLowercase,
            chars.allSatisfy({ $0.isLetter || $0.isNumber })
        else { return [] }
        var parts: [String] = []
        var current = ""
        for (i, c) in chars.enumerated() {
            let nextLower = i + 1 < chars.count && chars[i + 1].isLowercase
            if c.isUppercase, !current.isEmpty, current.last!.isLowercase || current.last!.isNumber || nextLower {
                parts.append(current)
                current = ""
            }
            current.append(c)
        }
        if !current.isEmpty { parts.append(current) }
        return parts
    }

    /// Splits inline code spans (`` `x` ``) out of a line.
    static func extractInlineCode(_ line: String) -> (String, [String]) {
        guard line.contains("`") else { return (line, []) }
        var plain = ""
        var spans: [String] = []
        var inside = false
        var current = ""
        for c in line {
            if c == "`" {
                if inside {
                    spans.append(current)
                    current = ""
                    plain.append(" ")
                }
                inside.toggle()
            } else if inside {
                current.append(c)
            } else {
                plain.append(c)
            }
        }
        if inside { plain.append(current) }
        return (plain, spans)
    }

    /// Lines like `at foo (bar.js:12:3)`, `File "x.py", line 3`, `Foo.swift:12: error:`, `#3 0x… in`.
    static func looksLikeTrace(_ line: String) -> Bool {
        if line.hasPrefix("at "), line.contains("(") || line.contains(":") { return true }
        if line.hasPrefix("File \""), line.contains(", line ") { return true }
        if line.hasPrefix("#"), line.dropFirst().first?.isNumber == true, line.contains(" in ") { return true }
        if line.contains("Traceback (most recent call last)") { return true }
        if line.contains(": error:") || line.contains(": warning:") || line.contains("panicked at") { return true }
        return false
    }

    /// Version dumps, installer and shell prompt output that only add noise.
    static func isNoise(_ line: String) -> Bool {
        if line.hasPrefix("$ ") || line.hasPrefix("> ") && line.contains("install") { return true }
        let lower = line.lowercased()
        if lower.hasPrefix("swift version") || lower.hasPrefix("target:") || lower.hasPrefix("apple swift version") {
            return true
        }
        if lower.hasPrefix("requirement already satisfied") || lower.hasPrefix("collecting ")
            || lower.hasPrefix("downloading ") || lower.hasPrefix("npm warn") || lower.hasPrefix("npm err")
        {
            return true
        }
        let letters = line.filter(\.isLetter).count
        return line.count > 20 && letters * 4 < line.count
    }

    /// `s` without leading and trailing spaces, tabs and carriage returns.
    static func trim(_ s: String) -> String {
        var t = Substring(s)
        while let f = t.first, f == " " || f == "\t" || f == "\r" { t = t.dropFirst() }
        while let l = t.last, l == " " || l == "\t" || l == "\r" { t = t.dropLast() }
        return String(t)
    }

    static func stripHeading(_ line: String) -> String {
        var s = Substring(line)
        while s.first == "#" { s = s.dropFirst() }
        return trim(String(s))
    }
}
