/// The languages the indexer knows, chosen from a file's name.
enum SourceLanguage: UInt8, Sendable, CaseIterable {
    case other = 0, swift, python, javascript, typescript, rust, go, java, kotlin, csharp, c, cpp, ruby, php, scala
    case shell, markdown, text, config

    /// How comments are written in the language.
    enum CommentStyle { case slash, hash, prose, none }

    /// Display name, e.g. "Swift".
    var displayName: String {
        switch self {
        case .other: "other"
        case .swift: "Swift"
        case .python: "Python"
        case .javascript: "JavaScript"
        case .typescript: "TypeScript"
        case .rust: "Rust"
        case .go: "Go"
        case .java: "Java"
        case .kotlin: "Kotlin"
        case .csharp: "C#"
        case .c: "C"
        case .cpp: "C++"
        case .ruby: "Ruby"
        case .php: "PHP"
        case .scala: "Scala"
        case .shell: "Shell"
        case .markdown: "Markdown"
        case .text: "text"
        case .config: "config"
        }
    }

    var commentStyle: CommentStyle {
        switch self {
        case .python, .ruby, .shell, .config: .hash
        case .markdown, .text: .prose
        case .other: .none
        default: .slash
        }
    }

    /// True for programming languages (as opposed to docs and config).
    var isCode: Bool {
        switch self {
        case .other, .markdown, .text, .config, .shell: false
        default: true
        }
    }

    /// Picks the language of `path` from its extension or name; `nil` means "do not index".
    static func of(path: String) -> SourceLanguage? {
        var copy = path
        if let decided = copy.withUTF8({ ofASCII($0) }) { return decided }
        return ofText(path: path)
    }

    /// ``of(path:)`` on the bytes of an ASCII file name; `nil` when undecided here (non-ASCII name, odd path).
    private static func ofASCII(_ path: UnsafeBufferPointer<UInt8>) -> SourceLanguage?? {
        let n = path.count
        guard n > 0, path[n - 1] != 0x2F else { return nil }
        var start = n
        var dot = -1
        while start > 0 && path[start - 1] != 0x2F {
            let b = path[start - 1]
            if b >= 0x80 { return nil }
            if b == 0x2E && dot < 0 { dot = start - 1 }
            start -= 1
        }
        let name = UnsafeBufferPointer(rebasing: path[start..<n])
        guard dot >= 0 else { return .some(namedFiles.value(name, 0..<name.count)) }
        if hasSuffix(name, ".min.js") || hasSuffix(name, ".min.css") { return .some(nil) }
        var ext: (UInt64, UInt64) = (0, 0)
        let length = n - dot - 1
        guard length <= 16 else { return .some(nil) }
        return withUnsafeMutableBytes(of: &ext) { raw -> SourceLanguage?? in
            let lower = raw.bindMemory(to: UInt8.self)
            for k in 0..<length {
                let b = path[dot + 1 + k]
                lower[k] = b >= 0x41 && b <= 0x5A ? b | 0x20 : b
            }
            return .some(extensions.value(UnsafeBufferPointer(lower), 0..<length))
        }
    }

    private static func hasSuffix(_ name: UnsafeBufferPointer<UInt8>, _ suffix: StaticString) -> Bool {
        let k = suffix.utf8CodeUnitCount
        guard name.count >= k else { return false }
        for i in 0..<k where name[name.count - k + i] != suffix.utf8Start[i] { return false }
        return true
    }

    private static let namedFiles = WordTable(
        ["Makefile", "Dockerfile", "Rakefile", "Gemfile", "Justfile"].map { ($0, SourceLanguage.config) })

    private static let extensions = WordTable(
        [
            ("swift", .swift), ("py", .python), ("pyi", .python), ("js", .javascript), ("jsx", .javascript),
            ("mjs", .javascript), ("cjs", .javascript), ("ts", .typescript), ("tsx", .typescript),
            ("mts", .typescript), ("cts", .typescript), ("rs", .rust), ("go", .go), ("java", .java),
            ("kt", .kotlin), ("kts", .kotlin), ("cs", .csharp), ("c", .c), ("h", .c), ("cc", .cpp), ("cpp", .cpp),
            ("cxx", .cpp), ("hpp", .cpp), ("hh", .cpp), ("hxx", .cpp), ("m", .cpp), ("mm", .cpp), ("rb", .ruby),
            ("php", .php), ("scala", .scala), ("sh", .shell), ("bash", .shell), ("zsh", .shell),
            ("md", .markdown), ("markdown", .markdown), ("rst", .markdown), ("adoc", .markdown), ("txt", .text),
            ("yml", .config), ("yaml", .config), ("toml", .config), ("ini", .config), ("cfg", .config),
            ("gradle", .config), ("cmake", .config), ("xml", .config), ("json", .config), ("plist", .config),
        ] as [(String, SourceLanguage)])

    /// The reference implementation on `String`s (used for non-ASCII names).
    static func ofText(path: String) -> SourceLanguage? {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: ".") else {
            switch name {
            case "Makefile", "Dockerfile", "Rakefile", "Gemfile", "Justfile": return .config
            default: return nil
            }
        }
        let ext = name[name.index(after: dot)...].lowercased()
        if name.hasSuffix(".min.js") || name.hasSuffix(".min.css") { return nil }
        switch ext {
        case "swift": return .swift
        case "py", "pyi": return .python
        case "js", "jsx", "mjs", "cjs": return .javascript
        case "ts", "tsx", "mts", "cts": return .typescript
        case "rs": return .rust
        case "go": return .go
        case "java": return .java
        case "kt", "kts": return .kotlin
        case "cs": return .csharp
        case "c", "h": return .c
        case "cc", "cpp", "cxx", "hpp", "hh", "hxx", "m", "mm": return .cpp
        case "rb": return .ruby
        case "php": return .php
        case "scala": return .scala
        case "sh", "bash", "zsh": return .shell
        case "md", "markdown", "rst", "adoc": return .markdown
        case "txt": return .text
        case "yml", "yaml", "toml", "ini", "cfg", "gradle", "cmake", "xml", "json", "plist": return .config
        default: return nil
        }
    }
}
