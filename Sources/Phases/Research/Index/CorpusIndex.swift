import Dispatch
import Synchronization

/// The index of every indexable workspace file. Terms are ``TermHash`` values; there is no global term table.
struct CorpusIndex: Sendable {
    /// Indexed files, in walk (path) order. Files with language `.other` are binary markers with no terms.
    var files: [FileIndex]

    /// Counters from a ``build(root:files:cached:threads:progress:shouldCancel:)`` call.
    struct BuildStats {
        var indexed = 0
        var fromCache = 0
        var bytesRead: Int64 = 0
        var skipped: [String: Int] = [:]
        /// Whether the result differs from the cached corpus (so the cache should be rewritten).
        var changed = false
        /// The next cache file, holding the new blocks, when the build wrote them there.
        var region: CacheRegion?
    }

    /// Builds the corpus for `files`, reusing entries of `cached` whose size, mtime and inode still match.
    ///
    /// With a `cachePath`, new blocks are written straight into the next cache file (see ``CacheRegion``), returned
    /// in ``BuildStats/region`` for ``IndexCache/save(_:to:region:)``.
    static func build(
        root: String, files: [WorkspaceFile], cached: IndexCache.Snapshot?, threads: Int, cachePath: String? = nil,
        progress: @Sendable (ResearchProgress) -> Void, shouldCancel: @Sendable () -> Bool
    ) throws -> (CorpusIndex, BuildStats) {
        var stats = BuildStats()
        let previous = cached?.pathTable() ?? [:]
        var slots: [FileIndex?] = []
        slots.reserveCapacity(files.count)
        var pending: [(slot: Int, file: WorkspaceFile, language: SourceLanguage)] = []
        var reused = 0
        for file in files {
            guard let language = SourceLanguage.of(path: file.path) else {
                stats.skipped["unsupported", default: 0] += 1
                continue
            }
            if let cached, let entry = cached.reusable(file, in: previous) {
                slots.append(entry)
                reused += 1
            } else {
                pending.append((slots.count, file, language))
                slots.append(nil)
            }
        }
        stats.fromCache = reused
        stats.changed = cached == nil || !pending.isEmpty || reused != cached!.fileCount
        progress(ResearchProgress(stage: "index", done: reused, total: slots.count))
        if let cachePath, !pending.isEmpty {
            stats.region = makeRegion(path: cachePath, files: files, pending: pending, cached: cached)
        }
        let workers = try indexInParallel(
            root: root, pending: pending, threads: threads, region: stats.region, alreadyDone: reused,
            total: slots.count, progress: progress, shouldCancel: shouldCancel)
        for worker in workers {
            let own = IndexStorage.adopting(&worker.indexer.arena)
            for (i, result) in worker.done {
                let item = pending[i]
                var index = FileIndex(
                    path: item.file.path, size: item.file.size, modificationTime: item.file.modificationTime,
                    inode: item.file.inode, language: .other, lineCount: 0, lengths: FieldLengths(), block: .empty)
                if let result {
                    index.language = item.language
                    index.lineCount = result.lineCount
                    index.lengths = result.lengths
                    let storage = result.isInRegion ? stats.region?.storage ?? own : own
                    index.block =
                        IndexBlock(owner: storage, offset: result.blockOffset, length: result.blockLength) ?? .empty
                }
                slots[item.slot] = index
            }
            stats.bytesRead += worker.indexer.bytesRead
            stats.indexed += worker.done.count
            for (reason, n) in worker.skipped { stats.skipped[reason, default: 0] += n }
        }
        stats.indexed -= stats.skipped["binary"] ?? 0
        let corpus = CorpusIndex(files: slots.compactMap { $0 })
        progress(ResearchProgress(stage: "index", done: slots.count, total: slots.count))
        return (corpus, stats)
    }

    /// The next cache file, sized for every path (header) and generously for the blocks (the file is sparse and
    /// trimmed when committed); `nil` when it cannot be made.
    private static func makeRegion(
        path: String, files: [WorkspaceFile], pending: [(slot: Int, file: WorkspaceFile, language: SourceLanguage)],
        cached: IndexCache.Snapshot?
    ) -> CacheRegion? {
        var header = IndexCache.headerSize + 8
        for file in files { header += IndexCache.entrySize + file.path.utf8.count }
        let bytes = pending.reduce(0) { $0 + Int(max($1.file.size, 0)) }
        let reused = cached?.storage.count ?? 0
        return CacheRegion(path: path, headerCapacity: header, blockCapacity: 2 * bytes + reused + (64 << 20))
    }

    /// Per-thread state of a parallel indexing pass.
    final class Worker {
        let indexer: FileIndexer
        /// (index into `pending`, result); `nil` marks a binary file.
        var done: [(Int, FileIndexer.Indexed?)] = []
        var skipped: [String: Int] = [:]

        init(arenaCapacity: Int, region: CacheRegion?) {
            indexer = FileIndexer(arenaCapacity: arenaCapacity, region: region)
        }
    }

    /// Shared state for the concurrent loop.
    private final class Shared: Sendable {
        let next = Atomic<Int>(0)
        let finished = Atomic<Int>(0)
        let cancelled = Atomic<Bool>(false)
        // Each worker is used by exactly one thread (its index), and read after the loop joins.
        nonisolated(unsafe) let workers: [Worker]
        init(count: Int, arenaCapacity: Int, region: CacheRegion?) {
            workers = (0..<count).map { _ in Worker(arenaCapacity: arenaCapacity, region: region) }
        }
    }

    private static func indexInParallel(
        root: String, pending: [(slot: Int, file: WorkspaceFile, language: SourceLanguage)], threads: Int,
        region: CacheRegion?, alreadyDone: Int, total: Int, progress: @Sendable (ResearchProgress) -> Void,
        shouldCancel: @Sendable () -> Bool
    ) throws -> [Worker] {
        let count = max(1, min(threads, pending.count / 16 + 1))
        // Blocks take about 40 % of the source bytes; reserve that up front (pages are touched only when written).
        let bytes = pending.reduce(0) { $0 + Int(max($1.file.size, 0)) }
        let shared = Shared(count: count, arenaCapacity: bytes / 2 / count + (1 << 20), region: region)
        let step = 500
        withoutActuallyEscaping(progress) { progress in
            withoutActuallyEscaping(shouldCancel) { shouldCancel in
                DedicatedThreads.perform(iterations: count) { t in
                    let worker = shared.workers[t]
                    while !shared.cancelled.load(ordering: .relaxed) {
                        let i = shared.next.add(1, ordering: .relaxed).oldValue
                        if i >= pending.count { break }
                        let item = pending[i]
                        if i % 64 == 0, shouldCancel() {
                            shared.cancelled.store(true, ordering: .relaxed)
                            break
                        }
                        switch worker.indexer.index(item.file, root: root, language: item.language) {
                        case .success(let indexed):
                            worker.done.append((i, indexed))
                        case .failure(let skip):
                            worker.skipped[skip.reason.rawValue, default: 0] += 1
                            if skip.reason == .binary { worker.done.append((i, nil)) }
                        }
                        let n = shared.finished.add(1, ordering: .relaxed).newValue
                        if n % step == 0 { progress(ResearchProgress(stage: "index", done: alreadyDone + n, total: total)) }
                    }
                }
            }
        }
        if shared.cancelled.load(ordering: .relaxed) { throw CancellationError() }
        return shared.workers
    }
}
