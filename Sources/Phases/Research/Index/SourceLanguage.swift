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
