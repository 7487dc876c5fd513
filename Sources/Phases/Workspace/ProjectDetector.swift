/// Works out a workspace's languages, manifests, build and test commands, and entry points.
///
/// Everything is derived from the walked file list; only manifests and a few entry-point candidates are read,
/// each capped at 256 KiB. Only manifests at the workspace root drive ``ProjectFacts/buildCommands`` and
/// ``ProjectFacts/testCommands``. When the root has none, manifests one directory down are used instead, with
/// commands written as `cd sub && …`. Directories such as `node_modules`, `vendor` or `.build` never count.
public struct ProjectDetector: Sendable {
    /// The workspace directory the file paths are relative to.
    public let root: String

    static let manifestNames: Set<String> = [
        "Package.swift", "package.json", "pyproject.toml", "setup.py", "setup.cfg", "requirements.txt",
        "Cargo.toml", "go.mod", "pom.xml", "build.gradle", "build.gradle.kts", "Makefile", "GNUmakefile",
        "makefile", "CMakeLists.txt", "tsconfig.json", "Gemfile",
    ]
    static let vendoredDirectories: Set<String> = [
        "node_modules", "vendor", "third_party", "third-party", ".build", "build", "dist", "target", "Pods",
        ".venv", "venv", "__pycache__", ".tox",
    ]

    /// Creates a detector for the workspace at `root`.
    public init(root: String) {
        var trimmed = root.isEmpty ? "." : root
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.root = trimmed
    }

    /// Derives the facts from a walk's files.
    public func detect(files: [WorkspaceFile]) -> ProjectFacts {
        let index = ProjectFileIndex(files.filter { !Self.isVendored($0.path) })
        var facts = ProjectFacts()
        facts.languages = languages(index.paths)
        let manifests = index.paths.filter { path in
            // At most one `/` (cheap, on bytes) before splitting: deeper paths never qualify.
            guard Self.slashCount(path, atMost: 1) else { return false }
            let parts = path.split(separator: "/")
            return parts.count <= 2 && Self.manifestNames.contains(String(parts.last!))
        }
        facts.manifests = manifests.sorted { ($0.contains("/") ? 1 : 0, $0) < ($1.contains("/") ? 1 : 0, $1) }
        let rootHasManifest = facts.manifests.contains { !$0.contains("/") }
        let directories = rootHasManifest ? [""] : Array(Set(facts.manifests.map(Self.directory))).sorted()
        for directory in directories {
            let commands = commands(in: directory, index: index)
            let prefix = directory.isEmpty ? "" : "cd \(directory.dropLast()) && "
            facts.buildCommands += commands.build.map { prefix + $0 }
            facts.testCommands += commands.test.map { prefix + $0 }
        }
        facts.entryPoints = entryPoints(index: index)
        return facts
    }

    private func languages(_ paths: [String]) -> [LanguageCount] {
        var counts: [String: Int] = [:]
        var headers = 0
        for path in paths {
            if LanguageTable.isHeader(path) {
                headers += 1
            } else if let language = LanguageTable.language(of: path) {
                counts[language, default: 0] += 1
            }
        }
        LanguageTable.attributeHeaders(&counts, headers: headers)
        return counts.map { LanguageCount(name: $0.key, files: $0.value) }
            .sorted { ($1.files, $0.name) < ($0.files, $1.name) }
    }

    /// Reads a root-relative file as text, or `nil` if it is missing or larger than `limit`.
    func read(_ path: String, limit: Int = 256 * 1024) -> String? {
        SmallFileReader.text(path: root + "/" + path, limit: limit)
    }

    /// The directory part of a path including its trailing `/`, or `""` at the root.
    static func directory(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[...slash])
    }

    static func isVendored(_ path: String) -> Bool {
        if let vendored = path.utf8.withContiguousStorageIfAvailable({ isVendoredASCII($0) }), let vendored {
            return vendored
        }
        return path.split(separator: "/").dropLast().contains { vendoredDirectories.contains(String($0)) }
    }

    private static let vendoredBytes: [[UInt8]] = vendoredDirectories.map { Array($0.utf8) }

    /// ``isVendored(_:)`` on bytes: every `/`-terminated component is a directory. `nil` when the path ends in `/`.
    private static func isVendoredASCII(_ p: UnsafeBufferPointer<UInt8>) -> Bool? {
        guard let last = p.last, last != 0x2F else { return p.isEmpty ? false : nil }
        var start = 0
        for k in 0..<p.count where p[k] == 0x2F {
            let length = k - start
            if length >= 3 && length <= 12 {
                for name in vendoredBytes where name.count == length {
                    var equal = true
                    for i in 0..<length where p[start + i] != name[i] {
                        equal = false
                        break
                    }
                    if equal { return true }
                }
            }
            start = k + 1
        }
        return false
    }

    /// Whether `path` has at most `limit` `/` bytes.
    static func slashCount(_ path: String, atMost limit: Int) -> Bool {
        var n = 0
        for b in path.utf8 where b == 0x2F {
            n += 1
            if n > limit { return false }
        }
        return true
    }

    /// The last `/`-separated part of a path (the whole path if it has no `/`), found on bytes.
    static func fileName(_ path: String) -> Substring {
        guard let slash = path.utf8.lastIndex(of: 0x2F) else { return Substring(path) }
        return path[path.utf8.index(after: slash)...]
    }
}

/// The walked paths with fast membership and size lookups.
struct ProjectFileIndex {
    /// Paths sorted by their UTF-8 bytes (the walker's order), so a prefix is one contiguous range.
    let paths: [String]
    let sizes: [String: Int64]

    init(_ files: [WorkspaceFile]) {
        paths = files.map(\.path)
        sizes = Dictionary(files.map { ($0.path, $0.size) }, uniquingKeysWith: { first, _ in first })
    }

    func contains(_ path: String) -> Bool { sizes[path] != nil }

    /// The paths starting with `prefix`, found by binary search.
    func paths(withPrefix prefix: String) -> ArraySlice<String> {
        if prefix.isEmpty { return paths[...] }
        var low = 0, high = paths.count
        while low < high {
            let middle = (low + high) / 2
            if paths[middle].utf8.lexicographicallyPrecedes(prefix.utf8) { low = middle + 1 } else { high = middle }
        }
        var end = low
        while end < paths.count && paths[end].utf8.starts(with: prefix.utf8) { end += 1 }
        return paths[low..<end]
    }

    /// Paths directly inside `directory` (which ends in `/`, or is empty for the root).
    func children(of directory: String) -> [String] {
        paths(withPrefix: directory).filter { !$0.utf8.dropFirst(directory.utf8.count).contains(UInt8(ascii: "/")) }
    }

    /// Whether any path starts with `prefix`.
    func hasAny(under prefix: String) -> Bool { !paths(withPrefix: prefix).isEmpty }
}
