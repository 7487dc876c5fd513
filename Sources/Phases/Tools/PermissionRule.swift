/// One `--allow` rule: `KIND(PATTERN)`.
///
/// Kinds:
/// - `shell(PATTERN)`: `run_shell` commands (and the `run_tests` command) whose **whole** command line matches
///   PATTERN, where `*` matches any characters (spaces and `/` included) and `?` one character. Only single
///   simple commands qualify: a command that chains or redirects (`;`, `&&`, `||`, `|`, `&`, `>`, `<`, backticks,
///   `$(`, subshell parentheses or a newline outside quotes) is refused by every rule except exactly `shell(*)`.
///   So `shell(git *)` allows `git status` but not `git status; rm -rf /`.
/// - `write(PATTERN)`: `write_file`/`edit_file` paths matching the ``GlobPattern`` (`write(Sources/**)`,
///   `write(*.md)`); `*` or `**` alone matches every path. Once any write rule is given, writes are limited to the
///   paths the write rules match.
/// - `read(PATTERN)`: the same for the read tools (`read(*)` allows every path). Once any read rule is given,
///   reads are limited to the paths the read rules match.
public struct PermissionRule: Sendable, Equatable, CustomStringConvertible {
    /// What a rule governs.
    public enum Kind: String, Sendable, CaseIterable {
        case shell, write, read
    }

    /// What the rule governs.
    public var kind: Kind
    /// The pattern between the parentheses.
    public var pattern: String

    /// Creates a rule.
    public init(kind: Kind, pattern: String) {
        self.kind = kind
        self.pattern = pattern
    }

    /// Parses `shell(swift test*)`, `write(Sources/**)`, `read(*)`.
    /// - Throws: ``PermissionRuleError`` naming the rule and the expected form.
    public init(parsing text: String) throws(PermissionRuleError) {
        let trimmed = String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
        guard let open = trimmed.firstIndex(of: "("), trimmed.hasSuffix(")") else {
            throw PermissionRuleError(rule: text)
        }
        let name = trimmed[..<open].lowercased()
        guard let kind = Kind(rawValue: name) else { throw PermissionRuleError(rule: text) }
        let pattern = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
        guard !pattern.isEmpty else { throw PermissionRuleError(rule: text) }
        self.init(kind: kind, pattern: pattern)
    }

    /// `kind(pattern)`, as written on the command line and in `permission.decided` events.
    public var description: String { "\(kind.rawValue)(\(pattern))" }

    /// Whether a shell rule allows every command, chained ones included.
    public var allowsEverything: Bool { pattern == "*" }

    /// Whether the whole command line matches (ignoring leading and trailing white space).
    public func matches(command: String) -> Bool {
        let trimmed = command.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed()
        return Self.wildcard(Array(pattern.unicodeScalars), Array(String(trimmed).unicodeScalars))
    }

    /// Whether a workspace-relative path matches.
    public func matches(path: String) -> Bool {
        if pattern == "*" || pattern == "**" { return true }
        return GlobPattern(pattern).matches(path)
    }

    /// `*` and `?` matching over the whole text, with `*` crossing everything.
    static func wildcard(_ pattern: [Unicode.Scalar], _ text: [Unicode.Scalar]) -> Bool {
        var p = 0
        var t = 0
        var star: Int?
        var resume = 0
        while t < text.count {
            if p < pattern.count && (pattern[p] == "?" || pattern[p] == text[t]) && pattern[p] != "*" {
                p += 1
                t += 1
            } else if p < pattern.count && pattern[p] == "*" {
                star = p
                resume = t
                p += 1
            } else if let star {
                p = star + 1
                resume += 1
                t = resume
            } else {
                return false
            }
        }
        while p < pattern.count && pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }
}

/// An `--allow` value that is not a rule.
public struct PermissionRuleError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The rule as given.
    public var rule: String

    public var description: String {
        "invalid --allow rule '\(rule)': expected KIND(PATTERN) with KIND shell, write or read, "
            + "e.g. 'shell(swift test*)', 'write(Sources/**)' or 'read(*)'"
    }
}

/// The parsed `--allow` rules, in order.
public struct PermissionRules: Sendable, Equatable {
    /// The rules.
    public var rules: [PermissionRule]

    /// Creates a rule set.
    public init(_ rules: [PermissionRule] = []) {
        self.rules = rules
    }

    /// Parses every `--allow` value.
    /// - Throws: ``PermissionRuleError`` for the first invalid one.
    public init(parsing texts: [String]) throws(PermissionRuleError) {
        var rules: [PermissionRule] = []
        for text in texts { rules.append(try PermissionRule(parsing: text)) }
        self.rules = rules
    }

    /// The rules of one kind.
    public func rules(of kind: PermissionRule.Kind) -> [PermissionRule] { rules.filter { $0.kind == kind } }
}
