import Dispatch
import Synchronization

/// The index of every indexable workspace file, sharing one term table.
struct CorpusIndex: Sendable {
    /// Global term table; ``FileIndex/terms`` refer to it.
    var table: TermTable
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
    }

    /// Builds the corpus for `files`, reusing entries of `cached` whose size, mtime and inode still match.
    static func build(
        root: String, files: [WorkspaceFile], cached: CorpusIndex?, threads: Int,
        progress: @Sendable (ResearchProgress) -> Void, shouldCancel: @Sendable () -> Bool
    ) throws -> (CorpusIndex, BuildStats) {
        var stats = BuildStats()
        var previous: [String: Int] = [:]
        if let cached {
            previous.reserveCapacity(cached.files.count)
            for (i, f) in cached.files.enumerated() { previous[f.path] = i }
        }
        var slots: [FileIndex?] = []
        var pending: [(slot: Int, file: WorkspaceFile, language: SourceLanguage)] = []
        var reused = 0
        for file in files {
            guard let language = SourceLanguage.of(path: file.path) else {
                stats.skipped["unsupported", default: 0] += 1
                continue
            }
            if let cached, let i = previous[file.path], cached.files[i].matches(file) {
                slots.append(cached.files[i])
                reused += 1
            } else {
                pending.append((slots.count, file, language))
                slots.append(nil)
            }
        }
        stats.fromCache = reused
        stats.changed = cached == nil || !pending.isEmpty || reused != cached!.files.count
        progress(ResearchProgress(stage: "index", done: reused, total: slots.count))
        let results = try indexInParallel(
            root: root, pending: pending, threads: threads, alreadyDone: reused, total: slots.count,
            progress: progress, shouldCancel: shouldCancel)
        var table = cached?.table ?? TermTable(capacity: 1 << 16)
        for worker in results.workers {
            var remap = [UInt32](repeating: 0, count: worker.indexer.table.count)
            for id in 0..<worker.indexer.table.count {
                remap[id] = worker.indexer.table.withBytes(UInt32(id)) { table.intern($0) }
            }
            for (slot, var index) in worker.done {
                for k in 0..<index.terms.count { index.terms[k] = remap[Int(index.terms[k])] }
                for k in 0..<index.definitions.count {
                    index.definitions[k].nameId = remap[Int(index.definitions[k].nameId)]
                }
                slots[slot] = index
            }
            stats.bytesRead += worker.indexer.bytesRead
            stats.indexed += worker.done.count
            for (reason, n) in worker.skipped { stats.skipped[reason, default: 0] += n }
        }
        stats.indexed -= stats.skipped["binary"] ?? 0
        let corpus = CorpusIndex(table: table, files: slots.compactMap { $0 })
        progress(ResearchProgress(stage: "index", done: slots.count, total: slots.count))
        return (corpus, stats)
    }

    /// Per-thread state of a parallel indexing pass.
    struct Worker {
        var indexer = FileIndexer()
        var done: [(Int, FileIndex)] = []
        var skipped: [String: Int] = [:]
    }

    /// Shared state for the concurrent loop.
    private final class Shared: Sendable {
        let next = Atomic<Int>(0)
        let finished = Atomic<Int>(0)
        let cancelled = Atomic<Bool>(false)
        // Each worker slot is written by exactly one thread (its index), and read after the loop joins.
        nonisolated(unsafe) let workers: UnsafeMutableBufferPointer<Worker>
        init(count: Int) {
            workers = .allocate(capacity: count)
            _ = workers.initialize(from: (0..<count).map { _ in Worker() })
        }
        deinit {
            workers.deinitialize()
            workers.deallocate()
        }
    }

    private static func indexInParallel(
        root: String, pending: [(slot: Int, file: WorkspaceFile, language: SourceLanguage)], threads: Int,
        alreadyDone: Int, total: Int, progress: @Sendable (ResearchProgress) -> Void,
        shouldCancel: @Sendable () -> Bool
    ) throws -> (workers: [Worker], Void) {
        let count = max(1, min(threads, pending.count / 16 + 1))
        let shared = Shared(count: count)
        let step = 500
        withoutActuallyEscaping(progress) { progress in
            withoutActuallyEscaping(shouldCancel) { shouldCancel in
                DispatchQueue.concurrentPerform(iterations: count) { t in
                    var worker = shared.workers[t]
                    while !shared.cancelled.load(ordering: .relaxed) {
                        let i = shared.next.add(1, ordering: .relaxed).oldValue
                        if i >= pending.count { break }
                        let item = pending[i]
                        if i % 64 == 0, shouldCancel() {
                            shared.cancelled.store(true, ordering: .relaxed)
                            break
                        }
                        var marker = FileIndex(
                            path: item.file.path, size: item.file.size,
                            modificationTime: item.file.modificationTime, inode: item.file.inode,
                            language: .other, lineCount: 0, terms: [], counts: [], lengths: FieldLengths(),
                            definitions: [])
                        switch worker.indexer.index(item.file, root: root, language: item.language) {
                        case .success(let index):
                            worker.done.append((item.slot, index))
                        case .failure(let skip):
                            worker.skipped[skip.reason.rawValue, default: 0] += 1
                            if skip.reason == .binary {
                                marker.lineCount = 0
                                worker.done.append((item.slot, marker))
                            }
                        }
                        let n = shared.finished.add(1, ordering: .relaxed).newValue
                        if n % step == 0 { progress(ResearchProgress(stage: "index", done: alreadyDone + n, total: total)) }
                    }
                    shared.workers[t] = worker
                }
            }
        }
        if shared.cancelled.load(ordering: .relaxed) { throw CancellationError() }
        return (Array(shared.workers), ())
    }
}
