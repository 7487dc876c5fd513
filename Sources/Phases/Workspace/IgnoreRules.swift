private typealias B = WorkspaceByte

/// The patterns of the ignore files in one directory, linked to those of the directories above it.
///
/// Precedence follows git's `last_matching_pattern()`: the deepest directory with a matching pattern decides, and
/// inside one directory the last matching line wins. A directory's `.gitignore` lines come first and its extra
/// ignore files (``WalkOptions/extraIgnoreFileNames``) are appended after them, so they win ties. The repository's
/// `info/exclude` is consulted only when no directory file matched.
final class IgnoreRules: Sendable {
    let parent: IgnoreRules?
    /// Length of this directory's root-relative prefix including its trailing `/` (0 for the root).
    let baseLength: Int
    let patterns: [IgnorePattern]

    init(parent: IgnoreRules?, baseLength: Int, patterns: [IgnorePattern]) {
        self.parent = parent
        self.baseLength = baseLength
        self.patterns = patterns
    }

    /// The verdict of the deepest matching rule set, or `nil` when nothing matches.
    func isIgnored(_ path: UnsafeBufferPointer<UInt8>, basenameStart: Int, isDirectory: Bool) -> Bool? {
        var rules: IgnoreRules? = self
        while let current = rules {
            if let pattern = current.lastMatch(path, basenameStart: basenameStart, isDirectory: isDirectory) {
                return !pattern.isNegated
            }
            rules = current.parent
        }
        return nil
    }

    private func lastMatch(
        _ path: UnsafeBufferPointer<UInt8>, basenameStart: Int, isDirectory: Bool
    ) -> IgnorePattern? {
        var index = patterns.count - 1
        while index >= 0 {
            let pattern = patterns[index]
            if pattern.matches(path, baseLength: baseLength, basenameStart: basenameStart, isDirectory: isDirectory) {
                return pattern
            }
            index -= 1
        }
        return nil
    }

    /// Splits an ignore file into patterns as git's `add_patterns_from_buffer()` does.
    ///
    /// A UTF-8 byte-order mark is skipped; lines end at `\n` with an optional `\r`; empty lines and lines starting
    /// with `#` are dropped; unescaped trailing spaces are trimmed (tabs are kept, as in git).
    static func parse(_ content: [UInt8]) -> [IgnorePattern] {
        var patterns: [IgnorePattern] = []
        var start = content.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while start < content.count {
            var end = start
            while end < content.count && content[end] != B.newline { end += 1 }
            var lineEnd = end
            if lineEnd > start && content[lineEnd - 1] == B.carriageReturn { lineEnd -= 1 }
            if lineEnd > start && content[start] != B.hash {
                let trimmed = trimTrailingSpaces(content[start..<lineEnd])
                if !trimmed.isEmpty, let pattern = IgnorePattern(line: trimmed) { patterns.append(pattern) }
            }
            start = end + 1
        }
        return patterns
    }

    /// git's `trim_trailing_spaces()`: drops trailing spaces unless the first of them is escaped with `\`.
    static func trimTrailingSpaces(_ line: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var lastSpace: Int?
        var i = line.startIndex
        while i < line.endIndex {
            switch line[i] {
            case B.space:
                if lastSpace == nil { lastSpace = i }
            case B.backslash:
                i += 1
                if i == line.endIndex { return line }
                lastSpace = nil
            default:
                lastSpace = nil
            }
            i += 1
        }
        if let lastSpace { return line[line.startIndex..<lastSpace] }
        return line
    }
}
