#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Musl)
    @preconcurrency import Musl
#endif

/// One entry found by ``TreeLister``.
struct TreeEntry: Sendable, Equatable {
    /// Root-relative path.
    var path: String
    /// Name within its directory.
    var name: String
    /// Depth below the listed directory (1 for its direct children).
    var depth: Int
    var isDirectory: Bool
    var isSymlink: Bool
}

/// A small depth-first directory lister for `list_directory` and `find_files` that honours `.gitignore` (and
/// `.raaidignore`, and the repository's `info/exclude`) through the walker's ``IgnoreRules``.
///
/// Unlike ``WorkspaceWalker`` it reports directories, symlinks and binary files too, never follows links, and stops
/// at a depth. VCS directories and ``excludedPaths`` are always left out.
struct TreeLister {
    let root: String
    var excludedPaths: [String] = []
    var ignoreFileNames = [".gitignore", ".raaidignore"]
    var honourIgnores = true

    /// Visits entries below `start` (root-relative, `.` for the root) in name order, depth first.
    ///
    /// - Parameter visit: returns `false` to stop the walk.
    func walk(
        from start: String, maxDepth: Int, shouldCancel: () -> Bool = { false },
        visit: (TreeEntry) -> Bool
    ) throws {
        var rules: IgnoreRules? = nil
        if honourIgnores {
            let exclude = IgnoreRules.gitInfoExclude(root: root)
            if !exclude.isEmpty { rules = IgnoreRules(parent: nil, baseLength: 0, patterns: exclude) }
            rules = loadRules(directory: "", parent: rules)
            if start != "." {
                var prefix = ""
                for component in start.split(separator: "/") {
                    prefix += (prefix.isEmpty ? "" : "/") + component
                    rules = loadRules(directory: prefix, parent: rules)
                }
            }
        }
        var stopped = false
        try descend(
            start == "." ? "" : start, depth: 1, maxDepth: maxDepth, rules: rules, stopped: &stopped,
            shouldCancel: shouldCancel, visit: visit)
    }

    private func descend(
        _ directory: String, depth: Int, maxDepth: Int, rules: IgnoreRules?, stopped: inout Bool,
        shouldCancel: () -> Bool, visit: (TreeEntry) -> Bool
    ) throws {
        if shouldCancel() { throw CancellationError() }
        let absolute = directory.isEmpty ? root : root + "/" + directory
        for (name, kind) in Self.entries(of: absolute) {
            if stopped { return }
            if name == ".git" || name == ".hg" || name == ".svn" { continue }
            let path = directory.isEmpty ? name : directory + "/" + name
            if excludedPaths.contains(path) { continue }
            var isDirectory = kind == DT_DIR
            let isSymlink = kind == DT_LNK
            if kind == DT_UNKNOWN {
                var info = stat()
                guard lstat(root + "/" + path, &info) == 0 else { continue }
                isDirectory = (info.st_mode & S_IFMT) == S_IFDIR
            }
            if let rules, Self.isIgnored(path, rules: rules, isDirectory: isDirectory) { continue }
            let entry = TreeEntry(path: path, name: name, depth: depth, isDirectory: isDirectory, isSymlink: isSymlink)
            if !visit(entry) {
                stopped = true
                return
            }
            if isDirectory && depth < maxDepth {
                let childRules = honourIgnores ? loadRules(directory: path, parent: rules) : nil
                try descend(
                    path, depth: depth + 1, maxDepth: maxDepth, rules: childRules, stopped: &stopped,
                    shouldCancel: shouldCancel, visit: visit)
            }
        }
    }

    private func loadRules(directory: String, parent: IgnoreRules?) -> IgnoreRules? {
        var patterns: [IgnorePattern] = []
        for fileName in ignoreFileNames {
            let path = (directory.isEmpty ? root : root + "/" + directory) + "/" + fileName
            if let bytes = SmallFileReader.contents(path: path) { patterns += IgnoreRules.parse(bytes) }
        }
        if patterns.isEmpty { return parent }
        let baseLength = directory.isEmpty ? 0 : directory.utf8.count + 1
        return IgnoreRules(parent: parent, baseLength: baseLength, patterns: patterns)
    }

    private static func isIgnored(_ path: String, rules: IgnoreRules, isDirectory: Bool) -> Bool {
        let bytes = Array(path.utf8)
        let basenameStart = (bytes.lastIndex(of: UInt8(ascii: "/")) ?? -1) + 1
        return bytes.withUnsafeBufferPointer {
            rules.isIgnored($0, basenameStart: basenameStart, isDirectory: isDirectory) ?? false
        }
    }

    /// The names and `d_type`s in a directory, sorted by name bytes.
    static func entries(of path: String) -> [(String, Int)] {
        guard let directory = opendir(path) else { return [] }
        defer { closedir(directory) }
        var result: [(String, Int)] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
            }
            if name == "." || name == ".." { continue }
            result.append((name, Int(entry.pointee.d_type)))
        }
        return result.sorted { Array($0.0.utf8).lexicographicallyPrecedes(Array($1.0.utf8)) }
    }
}
