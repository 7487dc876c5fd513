extension IgnoreRules {
    /// The patterns of the repository's `info/exclude` when `root` is the top of a git work tree, else none.
    ///
    /// Handles a `.git` directory and a `.git` file (`gitdir: …`, used by worktrees and submodules; a worktree's
    /// `commondir` is followed, since `info/exclude` lives in the common directory). The global
    /// `core.excludesFile` (by default `~/.config/git/ignore`) is deliberately not read: results must not depend
    /// on the user's machine-wide git configuration.
    static func gitInfoExclude(root: String) -> [IgnorePattern] {
        guard let directory = gitDirectory(root: root) else { return [] }
        var common = directory
        if let pointer = SmallFileReader.text(path: directory + "/commondir", limit: 4096) {
            common = resolve(firstLine(pointer), against: directory)
        }
        guard let content = SmallFileReader.contents(path: common + "/info/exclude") else { return [] }
        return parse(content)
    }

    private static func gitDirectory(root: String) -> String? {
        let dotGit = root + "/.git"
        if let text = SmallFileReader.text(path: dotGit, limit: 4096) {
            let line = firstLine(text)
            guard line.hasPrefix("gitdir:") else { return nil }
            return resolve(String(line.dropFirst("gitdir:".count)).trimmingSpaces(), against: root)
        }
        return dotGit  // a directory (or absent, in which case reading info/exclude simply fails)
    }

    private static func firstLine(_ text: String) -> String {
        String(text.prefix { $0 != "\n" && $0 != "\r" })
    }

    private static func resolve(_ path: String, against base: String) -> String {
        path.hasPrefix("/") ? path : base + "/" + path
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        var view = Substring(self)
        while view.first == " " || view.first == "\t" { view = view.dropFirst() }
        while view.last == " " || view.last == "\t" { view = view.dropLast() }
        return String(view)
    }
}
