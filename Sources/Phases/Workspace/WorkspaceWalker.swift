import Dispatch
import Synchronization

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
    /// Upper bound on walking threads; tests set 1 to check that threading does not change results.
    var maximumThreads = 2

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

        defer { close(fd) }

        let exclude = IgnoreRules.gitInfoExclude(root: root)
        let baseRules = exclude.isEmpty ? nil : IgnoreRules(parent: nil, baseLength: 0, patterns: exclude)
        let queue = WalkQueue(root: DirectoryJob(id: 0, path: [], rules: baseRules, isLinked: false))
        let outputs = Mutex<[WorkerOutput]>([])
        let workers = workerCount
        withoutActuallyEscaping(shouldCancel) { shouldCancel in
            DedicatedThreads.perform(iterations: workers) { index in
                let worker = DirectoryWorker(
                    rootFD: fd, root: root, options: options, queue: queue, worker: index, of: workers,
                    progress: progress, shouldCancel: shouldCancel)
                worker.run()
                outputs.withLock { $0.append(worker.output) }
            }
        }
        if queue.isCancelled { throw CancellationError() }
        let result = Self.assemble(outputs.withLock { $0 })
        progress?(result.files.count)
        return result
    }

    /// Threads to walk with: two when the machine has them (more does not help a syscall-bound walk much), and
    /// one when following symlinks, so that which of two paths to the same directory wins is deterministic.
    var workerCount: Int {
        if options.followSymlinks { return 1 }
        return max(1, min(maximumThreads, sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }

    /// Splices the per-directory listings together depth-first, which yields files sorted by path.
    private static func assemble(_ outputs: [WorkerOutput]) -> WalkResult {
        var listings: [Int: [ListingItem]] = [:]
        var skipCounts = [Int](repeating: 0, count: SkipReason.allCases.count)
        var directories = 0
        for output in outputs {
            listings.merge(output.listings) { first, _ in first }
            for index in skipCounts.indices { skipCounts[index] += output.skipCounts[index] }
            directories += output.directoriesVisited
        }
        var files: [WorkspaceFile] = []
        func emit(_ id: Int) {
            for item in listings[id] ?? [] {
                switch item {
                case .file(let file): files.append(file)
                case .directory(let child): emit(child)
                }
            }
        }
        emit(0)
        var skipped: [String: Int] = [:]
        for reason in SkipReason.allCases where skipCounts[reason.rawValue] > 0 {
            skipped[reason.key] = skipCounts[reason.rawValue]
        }
        return WalkResult(files: files, skipped: skipped, directoriesVisited: directories)
    }
}
