/// Per-language keyword tables used by ``DefinitionScanner``.
struct DefinitionSyntax: Sendable {
    /// Words that may precede a declaration keyword and are skipped.
    var modifiers: Set<String>
    /// Declaration keywords and the kind they introduce.
    var keywords: [String: DefinitionKind]
    /// Blocks are delimited by indentation (Python, Ruby) rather than braces.
    var indentBased = false
    /// Recognize `Type name(args) {` / `name(args) {` methods inside type bodies (and at top level for C/C++).
    var methodHeuristic = false
    /// Recognize module-level `NAME = …` assignments (Python).
    var topLevelAssignments = false
    /// ``keywords`` and ``modifiers`` for lookups by raw bytes.
    let keywordTable: WordTable<DefinitionKind>
    let modifierTable: WordTable<Bool>
    /// Whether `impl` (Rust) and `fun` (Kotlin) are keywords.
    let hasImpl: Bool
    let hasFun: Bool

    init(
        modifiers: Set<String>, keywords: [String: DefinitionKind], indentBased: Bool = false,
        methodHeuristic: Bool = false, topLevelAssignments: Bool = false
    ) {
        self.modifiers = modifiers
        self.keywords = keywords
        self.indentBased = indentBased
        self.methodHeuristic = methodHeuristic
        self.topLevelAssignments = topLevelAssignments
        keywordTable = WordTable(keywords.map { ($0.key, $0.value) })
        modifierTable = WordTable(modifiers.map { ($0, true) })
        hasImpl = keywords["impl"] != nil
        hasFun = keywords["fun"] != nil
    }

    static let controlWords: Set<String> = [
        "if", "for", "while", "switch", "catch", "return", "new", "else", "do", "try", "throw", "await", "sizeof",
        "typeof", "delete", "case", "super", "this", "synchronized", "using", "lock", "foreach", "when", "match",
    ]

    /// ``controlWords`` for lookups by raw bytes.
    static let controlTable = WordTable(controlWords.map { ($0, true) })

    static func of(_ language: SourceLanguage) -> DefinitionSyntax? {
        switch language {
        case .swift: swift
        case .python: python
        case .javascript, .typescript: script
        case .rust: rust
        case .go: go
        case .java, .csharp, .kotlin, .scala: jvm
        case .c, .cpp: cFamily
        case .ruby: ruby
        case .php: php
        default: nil
        }
    }

    static let swift = DefinitionSyntax(
        modifiers: [
            "public", "private", "internal", "fileprivate", "open", "package", "static", "final", "override",
            "mutating", "nonmutating", "convenience", "required", "lazy", "weak", "unowned", "indirect",
            "nonisolated", "dynamic", "optional", "prefix", "postfix", "infix", "distributed", "consuming",
            "borrowing", "isolated", "async", "@inlinable", "@usableFromInline",
        ],
        keywords: [
            "func": .function, "class": .type, "struct": .type, "enum": .type, "protocol": .type, "actor": .type,
            "extension": .extensionBlock, "typealias": .type, "associatedtype": .type, "var": .value, "let": .value,
            "case": .value, "macro": .function, "init": .function, "subscript": .function,
        ])

    static let python = DefinitionSyntax(
        modifiers: ["async"], keywords: ["def": .function, "class": .type], indentBased: true,
        topLevelAssignments: true)

    static let script = DefinitionSyntax(
        modifiers: [
            "export", "default", "async", "declare", "abstract", "public", "private", "protected", "static",
            "readonly", "override", "get", "set",
        ],
        keywords: [
            "function": .function, "class": .type, "interface": .type, "type": .type, "enum": .type,
            "namespace": .module, "module": .module, "const": .value, "let": .value, "var": .value,
        ],
        methodHeuristic: true)

    static let rust = DefinitionSyntax(
        modifiers: ["pub", "async", "unsafe", "extern", "default", "pub(crate)", "pub(super)", "pub(self)"],
        keywords: [
            "fn": .function, "struct": .type, "enum": .type, "trait": .type, "union": .type, "type": .type,
            "impl": .extensionBlock, "mod": .module, "const": .value, "static": .value, "macro_rules": .function,
        ])

    static let go = DefinitionSyntax(
        modifiers: [], keywords: ["func": .function, "type": .type, "var": .value, "const": .value])

    static let jvm = DefinitionSyntax(
        modifiers: [
            "public", "private", "protected", "static", "final", "abstract", "sealed", "open", "override",
            "internal", "data", "inline", "suspend", "synchronized", "native", "default", "partial", "virtual",
            "async", "readonly", "unsafe", "extern", "new", "strictfp", "transient", "volatile", "lateinit",
            "implicit", "lazy", "companion", "annotation", "value", "inner", "operator", "infix",
        ],
        keywords: [
            "class": .type, "interface": .type, "record": .type, "object": .type, "struct": .type, "trait": .type,
            "fun": .function, "def": .function, "val": .value, "var": .value, "namespace": .module,
            "typealias": .type, "enum": .type,
        ],
        methodHeuristic: true)

    static let cFamily = DefinitionSyntax(
        modifiers: ["static", "inline", "extern", "virtual", "explicit", "constexpr", "typedef", "template"],
        keywords: [
            "struct": .type, "class": .type, "enum": .type, "union": .type, "namespace": .module,
            "@interface": .type, "@implementation": .extensionBlock, "@protocol": .type,
        ],
        methodHeuristic: true)

    static let ruby = DefinitionSyntax(
        modifiers: ["private", "protected", "public"],
        keywords: ["def": .function, "class": .type, "module": .module], indentBased: true)

    static let php = DefinitionSyntax(
        modifiers: ["public", "private", "protected", "static", "final", "abstract", "readonly"],
        keywords: [
            "function": .function, "class": .type, "interface": .type, "trait": .type, "enum": .type,
        ])
}
