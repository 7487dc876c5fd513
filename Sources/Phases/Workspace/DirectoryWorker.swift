import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

private typealias B = WorkspaceByte

/// One entry of a directory's listing, in output order.
enum ListingItem: Sendable {
    case file(WorkspaceFile)
    /// A subdirectory, by ``DirectoryJob/id``; its own listing is spliced in here.
    case directory(Int)
}

/// Everything one worker thread produced.
struct WorkerOutput: Sendable {
    var listings: [Int: [ListingItem]] = [:]
    var skipCounts = [Int](repeating: 0, count: SkipReason.allCases.count)
    var directoriesVisited = 0
}

/// Reads directories taken from a ``WalkQueue`` on one thread of a walk.
///
/// Each directory is read completely and its entries are sorted by name, directories compared as if their name
/// ended in `/`. Splicing the listings together depth-first therefore yields paths sorted by their bytes, whatever
/// order the threads read directories in.
final class DirectoryWorker {
    struct Entry {
        var start: Int
        var length: Int
        /// `d_type`, resolved by ``resolveTypes`` to `DT_DIR`, `DT_REG`, `DT_LNK`, another type, or one of the
        /// `linked…` markers for followed symlinks.
        var type: UInt8
    }

    let rootFD: Int32
    let root: String
    let options: WalkOptions
    let queue: WalkQueue
    private let progress: (@Sendable (Int) -> Void)?
    private let shouldCancel: @Sendable () -> Bool
    private let ignoreFileNames: [[UInt8]]
    let excludedPaths: Set<[UInt8]>
    let excludedNames: Set<[UInt8]>
    private let workerIndex: Int
    private let workerCount: Int
    private var nextLocalID = 1
    private let reader = DirectoryReader()

    var output = WorkerOutput()
    /// The root-relative path of the entry being looked at; directory prefixes end in `/`.
    var path: [UInt8] = []
    /// Listing and subdirectories of the directory being read.
    var items: [ListingItem] = []
    var children: [DirectoryJob] = []
    /// `(st_dev, st_ino)` of every directory entered; only used when following symlinks (with one worker).
    private var visited: Set<[UInt64]> = []

    init(
        rootFD: Int32, root: String, options: WalkOptions, queue: WalkQueue, worker: Int, of workerCount: Int,
        progress: (@Sendable (Int) -> Void)?, shouldCancel: @escaping @Sendable () -> Bool
    ) {
        self.rootFD = rootFD
        self.root = root
        self.options = options
        self.queue = queue
        self.workerIndex = worker
        self.workerCount = workerCount
        self.progress = progress
        self.shouldCancel = shouldCancel
        ignoreFileNames = [Array(".gitignore".utf8)] + options.extraIgnoreFileNames.map { Array($0.utf8) }
        let excluded = options.excludedPaths.compactMap { Self.normalize($0, root: root) }
        excludedPaths = Set(excluded)
        excludedNames = Set(excluded.map { Array($0.split(separator: B.slash).last ?? []) })
        path.reserveCapacity(4096)
    }

    /// Reads directories until the queue runs dry or the walk is cancelled.
    func run() {
        while let job = queue.next() {
            children = []
            items = []
            read(job)
            output.listings[job.id] = items
            queue.finish(children: children)
        }
    }

    /// A walk-unique id for a new subdirectory job.
    func makeJobID() -> Int {
        defer { nextLocalID += 1 }
        return nextLocalID * workerCount + workerIndex
    }

    private func read(_ job: DirectoryJob) {
        if shouldCancel() { return queue.cancel() }
        let fd = open(job)
        if fd < 0 { return count(.unreadable) }
        if options.followSymlinks {
            var info = stat()
            if fstat(fd, &info) != 0 || !visited.insert([UInt64(info.st_dev), UInt64(info.st_ino)]).inserted {
                close(fd)
                return count(.symlink)
            }
        }
        defer { close(fd) }
        output.directoriesVisited += 1
        path = job.path

        var arena: [UInt8] = []
        var entries: [Entry] = []
        var ignoreFiles: [Int?] = Array(repeating: nil, count: ignoreFileNames.count)
        let names = ignoreFileNames
        let isReadable = reader.read(fd, into: &arena) { start, name, type in
            entries.append(Entry(start: start, length: name.count, type: type))
            for (slot, ignoreName) in names.enumerated() where ignoreName.count == name.count {
                if ignoreName.elementsEqual(name) { ignoreFiles[slot] = entries.count - 1 }
            }
        }
        if !isReadable { count(.unreadable) }
        let rules = loadRules(job, directoryFD: fd, arena: arena, entries: entries, ignoreFiles: ignoreFiles)
        resolveTypes(fd, arena, &entries)
        arena.withUnsafeBufferPointer { names in
            entries.sort { Self.precedes($0, $1, names) }
            for entry in entries {
                visit(entry, names: names, directoryFD: fd, rules: rules)
            }
        }
        reportProgress()
    }

    private func open(_ job: DirectoryJob) -> Int32 {
        let flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC
        guard !job.path.isEmpty else { return openat(rootFD, ".", flags) }
        var cPath = job.path
        cPath[cPath.count - 1] = 0  // the trailing "/" becomes the terminator
        return cPath.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) {
                openat(rootFD, $0.baseAddress!, flags | (job.isLinked ? 0 : O_NOFOLLOW))
            }
        }
    }

    /// Adds this directory's ignore files, in order, on top of the inherited rules.
    private func loadRules(
        _ job: DirectoryJob, directoryFD: Int32, arena: [UInt8], entries: [Entry], ignoreFiles: [Int?]
    ) -> IgnoreRules? {
        var patterns: [IgnorePattern] = []
        for case let index? in ignoreFiles {
            let content = arena.withUnsafeBufferPointer { buffer in
                (buffer.baseAddress! + entries[index].start).withMemoryRebound(to: CChar.self, capacity: 1) {
                    SmallFileReader.contents(directoryFD: directoryFD, name: $0)
                }
            }
            if let content { patterns += IgnoreRules.parse(content) }
        }
        if patterns.isEmpty { return job.rules }
        return IgnoreRules(parent: job.rules, baseLength: job.path.count, patterns: patterns)
    }

    private func reportProgress() {
        guard let progress else { return }
        let added = items.reduce(0) { count, item in if case .file = item { count + 1 } else { count } }
        let total = queue.acceptedFiles.add(added, ordering: .relaxed).newValue
        if total / 1024 != (total - added) / 1024 { progress(total) }
    }

    func count(_ reason: SkipReason) {
        output.skipCounts[reason.rawValue] += 1
    }
}
