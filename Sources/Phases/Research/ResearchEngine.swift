#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds the files, definitions and snippets that matter for a task, offline and without a model.
///
/// A run walks the workspace, indexes every source, doc and config file (reusing the on-disk cache for files whose
/// size, mtime and inode are unchanged), ranks files against the task, reads the few top files again for snippets
/// and writes a short Markdown note.
public struct ResearchEngine: Sendable {
    /// The workspace root directory.
    public let workspace: String
    /// Options for the run.
    public let options: ResearchOptions

    /// Creates an engine for `workspace`.
    public init(workspace: String, options: ResearchOptions = ResearchOptions()) {
        var root = workspace
        while root.count > 1 && root.hasSuffix("/") { root.removeLast() }
        self.workspace = root
        self.options = options
    }

    /// Researches `task` in the workspace.
    ///
    /// - Parameters:
    ///   - task: The task text (Markdown or plain text).
    ///   - progress: Called at a bounded rate (every 500 files and at the end of each stage).
    ///   - shouldCancel: Polled often; when it returns `true` the run stops.
    /// - Returns: Ranked files, snippets, facts, a note and stats.
    /// - Throws: `CancellationError` when cancelled, or the walker's `WorkspaceError`.
    public func run(
        task: String, progress: @Sendable (ResearchProgress) -> Void = { _ in },
        shouldCancel: @Sendable () -> Bool = { false }
    ) throws -> ResearchResult {
        let started = ResearchEngine.nowMs()
        let walk = try withoutActuallyEscaping(progress) { progress in
            try WorkspaceWalker(root: workspace, options: options.walkOptions).walk(
                progress: { done in if done % 500 == 0 { progress(ResearchProgress(stage: "walk", done: done, total: nil)) } },
                shouldCancel: shouldCancel)
        }
        progress(ResearchProgress(stage: "walk", done: walk.files.count, total: walk.files.count))
        if shouldCancel() { throw CancellationError() }
        // Project facts need only the walk; detect them on another thread while the index is built and ranked.
        let (root, walked) = (workspace, walk.files)
        let projectJob = BackgroundJob { ProjectDetector(root: root).detect(files: walked) }
        let cachePath = options.cacheDirectory.map { IndexCache.path(directory: $0, root: workspace) }
        let cached = cachePath.flatMap { IndexCache.load($0) }
        let (corpus, build) = try CorpusIndex.build(
            root: workspace, files: walk.files, cached: cached, threads: max(1, options.threads), cachePath: cachePath,
            progress: progress, shouldCancel: shouldCancel)
        // Write the cache (only when something changed) while ranking proceeds; new blocks are already in place.
        let region = build.region
        let saveJob = cachePath.flatMap { path in
            build.changed ? BackgroundJob { IndexCache.save(corpus, to: path, region: region) } : nil
        }
        if shouldCancel() { throw CancellationError() }
        let query = TaskQuery(task)
        let terms = QueryTerms(query)
        let (ranked, termWeights) = Ranker(corpus: corpus, query: terms).rankWithTermWeights()
        progress(ResearchProgress(stage: "rank", done: ranked.count, total: ranked.count))
        let top = Array(ranked.prefix(options.maxRelatedFiles))
        let related = top.map { RelatedFile(path: corpus.files[$0.file].path, score: rounded($0.score), why: Explainer.why($0)) }
        var snippetPicker = SnippetPicker(root: workspace, corpus: corpus, terms: terms, termWeights: termWeights)
        let snippets = snippetPicker.pick(from: top, limit: options.maxSnippets)
        if shouldCancel() { throw CancellationError() }
        let project = projectJob.value()
        let facts = Explainer.facts(project: project, query: terms, ranked: ranked, corpus: corpus)
        var skipped = walk.skipped
        for (k, v) in build.skipped { skipped[k, default: 0] += v }
        let stats = ResearchStats(
            filesSeen: walk.files.count, filesIndexed: build.indexed, filesFromCache: build.fromCache,
            bytesRead: build.bytesRead + snippetPicker.bytesRead, skipped: skipped,
            durationMs: ResearchEngine.nowMs() - started)
        let named = Explainer.namedDefinitions(ranked: ranked, corpus: corpus)
        let note = ResearchNote(
            task: query, project: project, related: related,
            definitions: Explainer.keyDefinitions(named: named, snippets: snippets),
            undefinedNames: Explainer.undefinedNames(query: terms, ranked: ranked)
        ).markdown()
        saveJob?.value()
        return ResearchResult(
            project: project, relatedFiles: related, snippets: snippets, facts: facts, note: note, stats: stats)
    }

    private func rounded(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }

    static func nowMs() -> Int {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int(ts.tv_sec) * 1000 + Int(ts.tv_nsec) / 1_000_000
    }
}
