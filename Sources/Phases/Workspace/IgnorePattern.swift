private typealias B = WorkspaceByte

/// One line of a gitignore(5) file, parsed the way git's `parse_path_pattern()` does.
struct IgnorePattern: Sendable, Equatable {
    /// How the pattern is compared against a path.
    enum Kind: Sendable, Equatable {
        /// No wildcard at all: byte equality.
        case literal
        /// `*` followed by a wildcard-free suffix, compared against the basename's end.
        case suffix
        /// Anything else goes through ``Wildmatch``.
        case glob
    }

    /// The pattern bytes without the leading `!`, a leading `/` or the trailing `/`.
    let bytes: [UInt8]
    /// `!pattern`: a match re-includes the path.
    let isNegated: Bool
    /// `pattern/`: matches directories only.
    let isDirectoryOnly: Bool
    /// No `/` except a trailing one: matched against the basename at any depth below the ignore file.
    let matchesBasename: Bool
    /// Length of the leading part free of `*?[\`, compared literally before wildmatch runs (git's `nowildcardlen`).
    let literalPrefixLength: Int
    let kind: Kind

    /// Parses one already-trimmed, non-empty, non-comment line.
    init?(line: ArraySlice<UInt8>) {
        var body = line
        isNegated = body.first == B.bang
        if isNegated { body = body.dropFirst() }
        var directoryOnly = false
        if body.last == B.slash {
            body = body.dropLast()
            directoryOnly = true
        }
        isDirectoryOnly = directoryOnly
        matchesBasename = !body.contains(B.slash)
        if !matchesBasename && body.first == B.slash { body = body.dropFirst() }
        if body.isEmpty { return nil }  // "/", "!", "!/": git keeps these but they can never match
        bytes = Array(body)
        let prefix = bytes.firstIndex(where: Wildmatch.isGlobSpecial) ?? bytes.count
        literalPrefixLength = prefix
        if prefix == bytes.count {
            kind = .literal
        } else if matchesBasename && bytes[0] == B.star && !bytes.dropFirst().contains(where: Wildmatch.isGlobSpecial) {
            kind = .suffix
        } else {
            kind = .glob
        }
    }

    /// Whether the pattern matches a path, ignoring negation.
    ///
    /// - Parameters:
    ///   - path: the whole root-relative path.
    ///   - baseLength: length of the ignore file's directory prefix including its trailing `/` (0 at the root).
    ///   - basenameStart: index where the last path component starts.
    ///   - isDirectory: whether the path is a directory.
    func matches(_ path: UnsafeBufferPointer<UInt8>, baseLength: Int, basenameStart: Int, isDirectory: Bool) -> Bool {
        if isDirectoryOnly && !isDirectory { return false }
        let start = matchesBasename ? basenameStart : baseLength
        let nameLength = path.count - start
        return bytes.withUnsafeBufferPointer { pattern in
            switch kind {
            case .literal:
                return nameLength == pattern.count && memoryEqual(pattern, 0, path, start, pattern.count)
            case .suffix:
                let suffixLength = pattern.count - 1
                return nameLength >= suffixLength
                    && memoryEqual(pattern, 1, path, path.count - suffixLength, suffixLength)
            case .glob:
                if matchesBasename {
                    return Wildmatch.matches(pattern: pattern, from: 0, text: path, from: start, pathname: false)
                }
                let prefix = literalPrefixLength
                if prefix > nameLength || !memoryEqual(pattern, 0, path, start, prefix) { return false }
                return Wildmatch.matches(
                    pattern: pattern, from: prefix, text: path, from: start + prefix, pathname: true)
            }
        }
    }
}

@inline(__always)
private func memoryEqual(
    _ a: UnsafeBufferPointer<UInt8>, _ aStart: Int, _ b: UnsafeBufferPointer<UInt8>, _ bStart: Int, _ count: Int
) -> Bool {
    var i = 0
    while i < count {
        if a[aStart + i] != b[bStart + i] { return false }
        i += 1
    }
    return true
}
