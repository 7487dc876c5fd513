import Memory

extension ProjectDetector {
    /// Candidate files larger than this are not opened.
    private static let candidateLimit: Int64 = 128 * 1024

    /// Likely program entry points, in discovery order without duplicates.
    ///
    /// Only candidates are opened: `Package.swift`, `package.json`, `pyproject.toml`, the top-level sources of
    /// Swift executable targets, and Java/Kotlin files (all of them only in small projects, otherwise those named
    /// like `Main`, `App`, `*Application`, `*Main`, `*Cli`).
    func entryPoints(index: ProjectFileIndex) -> [String] {
        var found: [String] = []
        func add(_ path: String) {
            if index.contains(path) && !found.contains(path) { found.append(path) }
        }
        swiftEntryPoints(index).forEach(add)
        nodeEntryPoints(index).forEach(add)
        for path in index.paths {
            // Every case below needs one of these names (or a `.rs` file): check that on bytes before splitting.
            let fileName = Self.fileName(path)
            guard fileName.utf8.last == UInt8(ascii: "s") || fileName.utf8.last == UInt8(ascii: "y")
                || fileName.utf8.last == UInt8(ascii: "o")
            else { continue }
            guard Self.entryNames.contains(fileName) || fileName.hasSuffix(".rs") else { continue }
            let parts = path.split(separator: "/")
            let name = parts.last!
            switch parts.count {
            case 1 where ["main.go", "main.py", "__main__.py", "manage.py", "app.py", "main.rs"].contains(name):
                add(path)
            case 2 where path == "src/main.rs":
                add(path)
            case 3 where parts[0] == "src" && parts[1] == "bin" && name.hasSuffix(".rs"):
                add(path)
            case 3 where parts[0] == "cmd" && name == "main.go":
                add(path)
            default:
                if name == "__main__.py" && parts.count <= 4 { add(path) }
            }
        }
        pythonScriptEntryPoints(index).forEach(add)
        jvmEntryPoints(index).forEach(add)
        return found
    }

    private static let entryNames: Set<Substring> = [
        "main.go", "main.py", "__main__.py", "manage.py", "app.py", "main.rs",
    ]

    private func swiftEntryPoints(_ index: ProjectFileIndex) -> [String] {
        guard index.contains("Package.swift"), let manifest = read("Package.swift") else { return [] }
        var result: [String] = []
        for target in Self.executableTargets(manifest) {
            let directory = "Sources/\(target)/"
            if index.contains(directory + "main.swift") {
                result.append(directory + "main.swift")
                continue
            }
            for path in index.children(of: directory) where path.hasSuffix(".swift") {
                if index.sizes[path, default: .max] <= Self.candidateLimit, read(path)?.contains("@main") == true {
                    result.append(path)
                }
            }
        }
        return result
    }

    /// Names of `.executableTarget(name: "…")` declarations in a Package.swift.
    static func executableTargets(_ manifest: String) -> [String] {
        var names: [String] = []
        var rest = Substring(manifest)
        while let range = rest.firstRange(of: ".executableTarget(") {
            rest = rest[range.upperBound...]
            guard let nameRange = rest.firstRange(of: "name:") else { break }
            let afterName = rest[nameRange.upperBound...].drop { $0 == " " || $0 == "\n" }
            guard afterName.first == "\"", let close = afterName.dropFirst().firstIndex(of: "\"") else { continue }
            names.append(String(afterName[afterName.index(after: afterName.startIndex)..<close]))
        }
        return names
    }

    private func nodeEntryPoints(_ index: ProjectFileIndex) -> [String] {
        var result: [String] = []
        if index.contains("package.json"), let text = read("package.json"),
            case .object(let object)? = try? JSONValue.parse(text)
        {
            if case .string(let main)? = object["main"] { result.append(Self.normalize(main)) }
            switch object["bin"] {
            case .string(let bin)?: result.append(Self.normalize(bin))
            case .object(let bins)?:
                for (_, value) in bins.pairs { if case .string(let bin) = value { result.append(Self.normalize(bin)) } }
            default: break
            }
        }
        for directory in ["", "src/"] {
            for name in ["index", "main", "server", "app", "cli"] {
                for ext in ["ts", "js", "mjs", "tsx"] { result.append("\(directory)\(name).\(ext)") }
            }
        }
        return result
    }

    /// `[project.scripts]` entries (`name = "pkg.module:function"`) resolved to module files.
    private func pythonScriptEntryPoints(_ index: ProjectFileIndex) -> [String] {
        guard index.contains("pyproject.toml"), let text = read("pyproject.toml") else { return [] }
        var result: [String] = []
        var inScripts = false
        for line in text.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: " \t")
            if trimmed.hasPrefix("[") {
                inScripts = trimmed == "[project.scripts]" || trimmed == "[tool.poetry.scripts]"
                continue
            }
            guard inScripts, let equals = trimmed.firstIndex(of: "=") else { continue }
            let value = trimmed[trimmed.index(after: equals)...].trimmingCharacters(in: " \t\"'")
            let module = value.split(separator: ":").first.map(String.init) ?? value
            let relative = module.replacingDots()
            for prefix in ["", "src/"] {
                result.append(prefix + relative + ".py")
                result.append(prefix + relative + "/__main__.py")
                result.append(prefix + relative + "/__init__.py")
            }
        }
        return result
    }

    private func jvmEntryPoints(_ index: ProjectFileIndex) -> [String] {
        let sources = index.paths.filter { path in
            // `hasSuffix` on bytes: ends in "a" or "t" first, then the whole suffix.
            guard let last = path.utf8.last, last == UInt8(ascii: "a") || last == UInt8(ascii: "t") else { return false }
            return path.utf8.reversed().starts(with: "avaj.".utf8) || path.utf8.reversed().starts(with: "tk.".utf8)
        }
        let small = sources.count <= 64
        var result: [String] = []
        for path in sources where index.sizes[path, default: .max] <= Self.candidateLimit {
            let stem = path.split(separator: "/").last!.split(separator: ".").first.map(String.init) ?? ""
            let named = ["Main", "App", "Application", "Cli", "CLI", "Server"].contains { stem.hasSuffix($0) }
            guard small || named, let text = read(path) else { continue }
            let isMain =
                path.hasSuffix(".java")
                ? text.contains("static void main(") : text.contains("fun main(")
            if isMain { result.append(path) }
        }
        return result
    }

    private static func normalize(_ path: String) -> String {
        var text = Substring(path)
        while text.hasPrefix("./") { text = text.dropFirst(2) }
        return String(text)
    }
}

extension StringProtocol {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var view = Substring(self)
        while let first = view.first, set.contains(first) { view = view.dropFirst() }
        while let last = view.last, set.contains(last) { view = view.dropLast() }
        return String(view)
    }

    fileprivate func replacingDots() -> String {
        String(map { $0 == "." ? "/" : $0 })
    }
}
