/// Maps file names to programming languages for ``ProjectFacts/languages``.
///
/// Data and documentation formats (JSON, YAML, Markdown, …) are not languages here. C/C++/Objective-C headers
/// (`.h`) are attributed afterwards by ``attributeHeaders(_:headers:)``.
enum LanguageTable {
    static let byExtension: [String: String] = {
        let groups: [String: [String]] = [
            "Swift": ["swift"], "Python": ["py", "pyi", "pyw"], "JavaScript": ["js", "mjs", "cjs", "jsx"],
            "TypeScript": ["ts", "tsx", "mts", "cts"], "Rust": ["rs"], "Go": ["go"], "Java": ["java"],
            "Kotlin": ["kt", "kts"], "C": ["c"], "C++": ["cc", "cpp", "cxx", "c++", "hpp", "hh", "hxx", "ipp"],
            "Objective-C": ["m"], "Objective-C++": ["mm"], "Ruby": ["rb", "rake", "gemspec"],
            "Shell": ["sh", "bash", "zsh", "ksh", "fish"], "C#": ["cs"], "F#": ["fs", "fsx"], "PHP": ["php"],
            "Scala": ["scala", "sc"], "Haskell": ["hs", "lhs"], "Lua": ["lua"], "Perl": ["pl", "pm"],
            "R": ["r"], "Dart": ["dart"], "Elixir": ["ex", "exs"], "Erlang": ["erl", "hrl"],
            "Clojure": ["clj", "cljs", "cljc", "edn"], "Zig": ["zig"], "Nim": ["nim"], "OCaml": ["ml", "mli"],
            "Julia": ["jl"], "Groovy": ["groovy", "gradle"], "Vue": ["vue"], "Svelte": ["svelte"],
            "HTML": ["html", "htm"], "CSS": ["css", "scss", "sass", "less"], "SQL": ["sql"],
            "PowerShell": ["ps1", "psm1"], "CMake": ["cmake"], "Protocol Buffers": ["proto"], "Assembly": ["s", "asm"],
            "Metal": ["metal"], "Solidity": ["sol"], "Terraform": ["tf"], "Nix": ["nix"],
        ]
        var table: [String: String] = [:]
        for (language, extensions) in groups {
            for ext in extensions { table[ext] = language }
        }
        return table
    }()

    static let byFileName: [String: String] = [
        "Makefile": "Makefile", "GNUmakefile": "Makefile", "makefile": "Makefile", "Dockerfile": "Dockerfile",
        "CMakeLists.txt": "CMake", "Rakefile": "Ruby", "Gemfile": "Ruby", "Jenkinsfile": "Groovy",
    ]

    /// The language of a root-relative path, or `nil` for headers and non-code files.
    static func language(of path: String) -> String? {
        // The last non-empty `/`-separated part, found on bytes (splitting allocates per path).
        var trimmed = Substring(path)
        while trimmed.utf8.last == 0x2F { trimmed = trimmed.dropLast() }
        let name: Substring
        if trimmed.isEmpty {
            name = Substring(path)
        } else if let slash = trimmed.utf8.lastIndex(of: 0x2F) {
            name = trimmed[trimmed.utf8.index(after: slash)...]
        } else {
            name = trimmed
        }
        if name.utf8.count <= 14, let language = byFileName[String(name)] { return language }
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        let ext = name[name.index(after: dot)...]
        if ext == "R" { return "R" }
        return byExtension[ext.lowercased()]
    }

    /// Whether a path is a `.h` header, whose language depends on the sources around it.
    static func isHeader(_ path: String) -> Bool { path.hasSuffix(".h") }

    /// Counts `.h` files toward Objective-C, C++ or C, whichever has the most sources (C when none do).
    static func attributeHeaders(_ counts: inout [String: Int], headers: Int) {
        guard headers > 0 else { return }
        var owner = "C"
        var best = 0
        for language in ["C", "C++", "Objective-C"] where counts[language, default: 0] > best {
            owner = language
            best = counts[language, default: 0]
        }
        counts[owner, default: 0] += headers
    }
}
