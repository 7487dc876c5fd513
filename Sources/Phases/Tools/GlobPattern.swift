/// A path glob: `*` (within one path component), `**` (any number of components), `?`, `[abc]`, and `{a,b}`
/// alternatives (nested allowed).
///
/// A pattern without `/` matches a file name at any depth (`*.swift` finds every Swift file, as in
/// `.gitignore`); a pattern with `/` matches the whole path relative to where the search starts
/// (`Sources/**/*.swift`). A leading `./` or `/` is ignored. Matching is case-sensitive.
public struct GlobPattern: Sendable, Equatable {
    /// The pattern as written.
    public let pattern: String
    private let alternatives: [String]
    private let matchesBasename: Bool

    /// Parses `pattern`.
    public init(_ pattern: String) {
        self.pattern = pattern
        var text = Substring(pattern)
        while text.hasPrefix("./") { text = text.dropFirst(2) }
        while text.hasPrefix("/") { text = text.dropFirst() }
        alternatives = Self.expandBraces(String(text))
        matchesBasename = !text.contains("/")
    }

    /// Whether `path` (relative, `/`-separated) matches.
    public func matches(_ path: String) -> Bool {
        let subject: String
        if matchesBasename, let slash = path.lastIndex(of: "/") {
            subject = String(path[path.index(after: slash)...])
        } else {
            subject = path
        }
        return alternatives.contains { Wildmatch.matches($0, subject, pathname: true) }
    }

    /// `a{b,c}d` → `abd`, `acd`; nested braces expand recursively; at most 256 results. A brace without a
    /// matching close or without a comma is kept literally.
    static func expandBraces(_ pattern: String) -> [String] {
        let characters = Array(pattern)
        var depth = 0
        var open: Int?
        var commas: [Int] = []
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character == "\\" {
                index += 2
                continue
            }
            if character == "{" {
                if depth == 0 {
                    open = index
                    commas = []
                }
                depth += 1
            } else if character == "}" && depth > 0 {
                depth -= 1
                if depth == 0, let start = open {
                    if commas.isEmpty {
                        open = nil
                        index += 1
                        continue
                    }
                    let prefix = String(characters[..<start])
                    let suffix = String(characters[(index + 1)...])
                    var bounds = [start] + commas + [index]
                    var results: [String] = []
                    for part in 0..<(bounds.count - 1) {
                        let option = String(characters[(bounds[part] + 1)..<bounds[part + 1]])
                        results += expandBraces(prefix + option + suffix)
                        if results.count >= 256 { return Array(results.prefix(256)) }
                    }
                    bounds.removeAll()
                    return results
                }
            } else if character == "," && depth == 1 {
                commas.append(index)
            }
            index += 1
        }
        return [pattern]
    }
}
