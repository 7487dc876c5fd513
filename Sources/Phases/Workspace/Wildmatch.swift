/// git's `wildmatch()` over raw bytes, reimplemented in Swift.
///
/// `*` and `?` never match `/` in pathname mode; `**` matches across directories only as a whole path component
/// (`**/x`, `x/**`, `x/**/y`); `[...]` supports ranges, `!`/`^` negation, `\` escapes and ASCII POSIX classes such as
/// `[:digit:]`. Matching is case-sensitive, as with git's default `core.ignoreCase=false` on Linux.
private typealias B = WorkspaceByte

enum Wildmatch {
    private enum Outcome { case match, noMatch, abortAll, abortToStarStar }

    /// Whether `pattern[patternStart...]` matches all of `text[textStart...]`.
    ///
    /// `patternStart` matters beyond slicing: as in git, a `**` at the very start of the matched part counts as
    /// preceded by a slash.
    static func matches(
        pattern: UnsafeBufferPointer<UInt8>, from patternStart: Int,
        text: UnsafeBufferPointer<UInt8>, from textStart: Int, pathname: Bool
    ) -> Bool {
        dowild(pattern, patternStart, text, textStart, pathname) == .match
    }

    /// Convenience for tests and one-off checks.
    static func matches(_ pattern: String, _ text: String, pathname: Bool) -> Bool {
        let p = Array(pattern.utf8)
        let t = Array(text.utf8)
        return p.withUnsafeBufferPointer { pp in
            t.withUnsafeBufferPointer { tt in matches(pattern: pp, from: 0, text: tt, from: 0, pathname: pathname) }
        }
    }

    static func isGlobSpecial(_ byte: UInt8) -> Bool {
        byte == B.star || byte == B.question || byte == B.leftBracket || byte == B.backslash
    }

    private static func dowild(
        _ p: UnsafeBufferPointer<UInt8>, _ patternStart: Int,
        _ t: UnsafeBufferPointer<UInt8>, _ textStart: Int, _ pathname: Bool
    ) -> Outcome {
        var pi = patternStart
        var ti = textStart
        let pEnd = p.count
        let tEnd = t.count
        while pi < pEnd {
            let pc = p[pi]
            if ti >= tEnd && pc != B.star { return .abortAll }
            let tc: UInt8 = ti < tEnd ? t[ti] : 0
            switch pc {
            case B.backslash:
                pi += 1
                if pi >= pEnd || tc != p[pi] { return .noMatch }
            case B.question:
                if pathname && tc == B.slash { return .noMatch }
            case B.star:
                pi += 1
                var matchSlash = !pathname
                if pi < pEnd && p[pi] == B.star {
                    let previous = pi - 2
                    while pi < pEnd && p[pi] == B.star { pi += 1 }
                    if !pathname {
                        matchSlash = true
                    } else if (previous < patternStart || p[previous] == B.slash)
                        && (pi == pEnd || p[pi] == B.slash
                            || (p[pi] == B.backslash && pi + 1 < pEnd && p[pi + 1] == B.slash))
                    {
                        // "**/" may match nothing at all: try the rest right here first.
                        if pi < pEnd && p[pi] == B.slash && dowild(p, pi + 1, t, ti, pathname) == .match {
                            return .match
                        }
                        matchSlash = true
                    } else {
                        matchSlash = false
                    }
                }
                if pi == pEnd {
                    // A trailing "**" matches everything, a trailing "*" only what has no more slashes.
                    if !matchSlash && ti < tEnd && UnsafeBufferPointer(rebasing: t[ti...]).contains(B.slash) {
                        return .noMatch
                    }
                    return .match
                }
                if !matchSlash && p[pi] == B.slash {
                    // One "*" followed by "/" matches the rest of this component; the loop consumes both slashes.
                    var slash = ti
                    while slash < tEnd && t[slash] != B.slash { slash += 1 }
                    if slash == tEnd { return .noMatch }
                    ti = slash
                    break
                }
                return matchStar(p, pi, t, ti, pathname, matchSlash)
            case B.leftBracket:
                guard let next = matchClass(p, &pi, tc) else { return .abortAll }
                if !next || (pathname && tc == B.slash) { return .noMatch }
            default:
                if tc != pc { return .noMatch }
            }
            pi += 1
            ti += 1
        }
        return ti < tEnd ? .noMatch : .match
    }

    /// The backtracking loop after a `*` or `**` whose pattern continues at `pi`.
    private static func matchStar(
        _ p: UnsafeBufferPointer<UInt8>, _ pi: Int,
        _ t: UnsafeBufferPointer<UInt8>, _ start: Int, _ pathname: Bool, _ matchSlash: Bool
    ) -> Outcome {
        var ti = start
        let tEnd = t.count
        while ti < tEnd {
            var tc = t[ti]
            let literal = p[pi]
            if !isGlobSpecial(literal) {
                // Skip ahead to the next occurrence of the literal that follows the star.
                while ti < tEnd {
                    tc = t[ti]
                    if (!matchSlash && tc == B.slash) || tc == literal { break }
                    ti += 1
                }
                if ti == tEnd || tc != literal { return .noMatch }
            }
            let outcome = dowild(p, pi, t, ti, pathname)
            if outcome != .noMatch {
                if !matchSlash || outcome != .abortToStarStar { return outcome }
            } else if !matchSlash && tc == B.slash {
                return .abortToStarStar
            }
            ti += 1
        }
        return .abortAll
    }

    /// Matches `tc` against the bracket expression starting at `p[pi] == "["`; leaves `pi` on its closing `]`.
    ///
    /// - Returns: whether the class accepts `tc` (negation applied), or `nil` for a malformed class.
    private static func matchClass(_ p: UnsafeBufferPointer<UInt8>, _ pi: inout Int, _ tc: UInt8) -> Bool? {
        let pEnd = p.count
        func at(_ i: Int) -> UInt8 { i < pEnd ? p[i] : 0 }
        pi += 1
        var pc = at(pi)
        if pc == B.caret { pc = B.bang }
        let negated = pc == B.bang
        if negated {
            pi += 1
            pc = at(pi)
        }
        var previous: UInt8 = 0
        var matched = false
        repeat {
            if pi >= pEnd { return nil }
            if pc == B.backslash {
                pi += 1
                if pi >= pEnd { return nil }
                pc = p[pi]
                if tc == pc { matched = true }
            } else if pc == B.dash && previous != 0 && pi + 1 < pEnd && p[pi + 1] != B.rightBracket {
                pi += 1
                pc = p[pi]
                if pc == B.backslash {
                    pi += 1
                    if pi >= pEnd { return nil }
                    pc = p[pi]
                }
                if tc <= pc && tc >= previous { matched = true }
                pc = 0
            } else if pc == B.leftBracket && at(pi + 1) == B.colon {
                let nameStart = pi + 2
                var close = nameStart
                while close < pEnd && p[close] != B.rightBracket { close += 1 }
                if close >= pEnd { return nil }
                let nameLength = close - nameStart - 1
                if nameLength < 0 || p[close - 1] != B.colon {
                    // No ":]": the "[" is an ordinary member and scanning resumes after it.
                    if tc == B.leftBracket { matched = true }
                } else {
                    let name = String(
                        decoding: UnsafeBufferPointer(rebasing: p[nameStart..<(nameStart + nameLength)]),
                        as: UTF8.self)
                    guard let accepts = posixClass(name) else { return nil }
                    if accepts(tc) { matched = true }
                    pi = close
                    pc = 0
                }
            } else if tc == pc {
                matched = true
            }
            previous = pc
            pi += 1
            pc = at(pi)
        } while pc != B.rightBracket
        return matched != negated
    }

    private static func posixClass(_ name: String) -> ((UInt8) -> Bool)? {
        func isUpper(_ c: UInt8) -> Bool { c >= 0x41 && c <= 0x5A }
        func isLower(_ c: UInt8) -> Bool { c >= 0x61 && c <= 0x7A }
        func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
        func isPrint(_ c: UInt8) -> Bool { c >= 0x20 && c < 0x7F }
        func isSpace(_ c: UInt8) -> Bool { c == 0x20 || (c >= 0x09 && c <= 0x0D) }
        switch name {
        case "alnum": return { isUpper($0) || isLower($0) || isDigit($0) }
        case "alpha": return { isUpper($0) || isLower($0) }
        case "blank": return { $0 == 0x20 || $0 == 0x09 }
        case "cntrl": return { $0 < 0x20 || $0 == 0x7F }
        case "digit": return isDigit
        case "graph": return { isPrint($0) && !isSpace($0) }
        case "lower": return isLower
        case "print": return isPrint
        case "punct": return { isPrint($0) && !isSpace($0) && !isUpper($0) && !isLower($0) && !isDigit($0) }
        case "space": return isSpace
        case "upper": return isUpper
        case "xdigit": return { isDigit($0) || ($0 >= 0x41 && $0 <= 0x46) || ($0 >= 0x61 && $0 <= 0x66) }
        default: return nil
        }
    }
}

/// ASCII bytes used by the ignore-pattern and path code in this folder.
enum WorkspaceByte {
    static let star: UInt8 = 0x2A
    static let question: UInt8 = 0x3F
    static let leftBracket: UInt8 = 0x5B
    static let rightBracket: UInt8 = 0x5D
    static let backslash: UInt8 = 0x5C
    static let slash: UInt8 = 0x2F
    static let caret: UInt8 = 0x5E
    static let bang: UInt8 = 0x21
    static let dash: UInt8 = 0x2D
    static let colon: UInt8 = 0x3A
    static let dot: UInt8 = 0x2E
    static let hash: UInt8 = 0x23
    static let space: UInt8 = 0x20
    static let newline: UInt8 = 0x0A
    static let carriageReturn: UInt8 = 0x0D
}
