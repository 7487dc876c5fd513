#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Lists the files of a workspace the way `git ls-files --others --exclude-standard` would, fast.
///
/// The walker reads directories with `readdir` and `fstatat` relative to open directory descriptors, uses `d_type`
/// to avoid stat'ing directories, and never descends into ignored directories. Ignore rules follow gitignore(5):
/// `.gitignore` in every directory, the extra names in ``WalkOptions/extraIgnoreFileNames``, and the repository's
/// `info/exclude` when the root is the top of a git work tree. Files above the root and the user's global
/// `core.excludesFile` are not consulted, so a walk depends only on the tree itself. `.git`, `.hg` and `.svn`
/// directories are always skipped; FIFOs, sockets and device nodes are skipped silently.
public struct WorkspaceWalker: Sendable {
    /// The directory being walked, as given.
    public let root: String
    /// The walk settings.
    public let options: WalkOptions

    /// Creates a walker for `root` (absolute, or relative to the current directory).
    public init(root: String, options: WalkOptions = WalkOptions()) {
        var trimmed = root.isEmpty ? "." : root
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.root = trimmed
        self.options = options
    }

    /// Walks the tree and returns the accepted files sorted by path.
    ///
    /// - Parameters:
    ///   - progress: called now and then from the walking thread with the number of files accepted so far.
    ///   - shouldCancel: polled once per directory.
    /// - Returns: the files, skip counts and the number of directories read.
    /// - Throws: ``WorkspaceError`` if the root is missing, not a directory or unreadable; `CancellationError`
    ///   as soon as `shouldCancel` returns `true`.
    public func walk(
        progress: (@Sendable (Int) -> Void)? = nil, shouldCancel: @Sendable () -> Bool = { false }
    ) throws -> WalkResult {
        var info = stat()
        if stat(root, &info) != 0 {
            let code = errno
            if code == ENOENT || code == ENOTDIR { throw WorkspaceError.notFound(path: root) }
            throw WorkspaceError.unreadable(path: root, errno: code)
        }
        guard (info.st_mode & S_IFMT) == S_IFDIR else { throw WorkspaceError.notADirectory(path: root) }
        let fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd < 0 { throw WorkspaceError.unreadable(path: root, errno: errno) }

        let exclude = IgnoreRules.gitInfoExclude(root: root)
        let baseRules = exclude.isEmpty ? nil : IgnoreRules(parent: nil, baseLength: 0, patterns: exclude)
        return try withoutActuallyEscaping(shouldCancel) { shouldCancel in
            let scanner = DirectoryScanner(
                root: root, options: options, progress: progress, shouldCancel: shouldCancel)
            if options.followSymlinks { scanner.markVisited(info) }
            try scanner.scan(directoryFD: fd, rules: baseRules)
            progress?(scanner.files.count)
            return scanner.result()
        }
    }
}
