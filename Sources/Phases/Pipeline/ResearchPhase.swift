import Dispatch
import Memory

/// The research phase with no model: runs the ``ResearchEngine``, records what it found in session
/// memory, emits it as events, and promotes it to global memory when the phase completes.
struct ResearchPhase: Sendable {
    let configuration: RunConfiguration
    let memory: MemoryStore
    let emitter: EventEmitter
    let cancellation: CancellationSource
    let say: @Sendable (String) -> Void
    /// With a model, research goes on from the engine's results with read-only tools.
    var session: ModelSession? = nil

    /// Counts for `run.completed`.
    struct Tally: Sendable {
        var recordsWritten = 0
        var promoted = 0
    }

    /// How the phase ended.
    enum Result: Sendable {
        case completed
        case failed(RunOutcome)
    }

    func run(tally: inout Tally) async -> Result {
        let started = Timestamp.monotonicNanos()
        emitter.emit(.phaseStarted, phase: .research, ["engine": session == nil ? "builtin" : "model"])
        say("research: indexing \(configuration.workspace)")
        let result: ResearchResult
        do {
            result = try await runEngine()
        } catch {
            return fail(error, started: started)
        }
        do {
            let records = makeRecords(from: result)
            // Memory writes fsync: keep them off the cooperative pool (under `raaid serve` it serves every client).
            let memory = memory
            let written = try await BlockingWork.run { try memory.append(contentsOf: records) }
            tally.recordsWritten += written.count
            for record in written {
                emitter.emit(
                    .memoryWritten, phase: .research,
                    [
                        "kind": .string(record.kind.rawValue), "id": .string(record.id),
                        "scope": .string(record.scope.rawValue), "session": .string(record.session),
                        "record": .object(record.data),
                    ])
            }
            emitter.emit(
                .itemCompleted, phase: .research,
                [
                    "item": [
                        "id": .string("note-\(emitter.runID)"), "kind": "message", "role": "assistant",
                        "text": .string(result.note), "final": .bool(configuration.isResearchOnly),
                    ]
                ])
            if let session {
                say("research: continuing with \(session.settings.model)")
                let brief = Prompts.memoryBrief(try memory.read(session: configuration.session).records)
                let user = "# Task\n\n\(configuration.task.text)\n\n# The engine's findings\n\n\(brief)"
                _ = try await session.converse(phase: .research, system: Prompts.research, messages: [.user(user)])
                // The model's memory tools wrote more records to the session; count them for run.completed.
                let sessionRecords = try memory.read(session: configuration.session).records
                tally.recordsWritten += sessionRecords.filter { $0.run == emitter.runID && $0.scope == .session }.count
                    - written.count
            }
            if cancellation.isCancelled { throw CancellationError() }
            let (session, run) = (configuration.session, emitter.runID)
            let promoted = try await BlockingWork.run { try memory.promote(session: session, run: run, phase: "research") }
            tally.promoted += promoted.count
            emitter.emit(
                .phaseCompleted, phase: .research,
                [
                    "duration_ms": .int(Int64((Timestamp.monotonicNanos() - started) / 1_000_000)),
                    "promoted": .int(Int64(promoted.count)),
                    "stats": statsPayload(result.stats),
                ])
            summarize(result, started: started)
            return .completed
        } catch {
            return fail(error, started: started)
        }
    }

    private func runEngine() async throws -> ResearchResult {
        var options = ResearchOptions()
        options.maxRelatedFiles = configuration.maxRelatedFiles
        options.maxSnippets = configuration.maxSnippets
        options.cacheDirectory = try? memory.ensureCacheDirectory()
        let memoryPrefix = configuration.workspace + "/"
        if configuration.memoryDirectory.hasPrefix(memoryPrefix) {
            options.walkOptions.excludedPaths.append(String(configuration.memoryDirectory.dropFirst(memoryPrefix.count)))
        }
        let engine = ResearchEngine(workspace: configuration.workspace, options: options)
        let task = configuration.task.text
        let emitter = emitter
        let cancellation = cancellation
        let say = say
        return try await DedicatedThreads.value {
            try engine.run(
                task: task,
                progress: { progress in
                    emitter.emit(
                        .progress, phase: .research,
                        EventPayloads.progress(
                            stage: progress.stage, done: progress.done, total: progress.total, unit: progress.unit))
                    let total = progress.total.map { "/\($0)" } ?? ""
                    say("research: \(progress.stage) \(progress.done)\(total) \(progress.unit)")
                },
                shouldCancel: { cancellation.isCancelled })
        }
    }

    private func makeRecords(from result: ResearchResult) -> [MemoryRecord] {
        func record(_ kind: MemoryKind, _ data: JSONObject) -> MemoryRecord {
            MemoryRecord(kind: kind, data: data, session: configuration.session, run: emitter.runID, phase: "research")
        }
        var records: [MemoryRecord] = []
        for (index, file) in result.relatedFiles.enumerated() {
            records.append(
                record(
                    .relatedFile,
                    [
                        "path": .string(file.path), "rank": .int(Int64(index + 1)),
                        "score": .double((file.score * 1000).rounded() / 1000), "why": .string(file.why),
                    ]))
        }
        for snippet in result.snippets {
            records.append(
                record(
                    .snippet,
                    [
                        "path": .string(snippet.path), "start_line": .int(Int64(snippet.startLine)),
                        "end_line": .int(Int64(snippet.endLine)), "symbol": .from(snippet.symbol),
                        "text": .string(snippet.text), "why": .string(snippet.why),
                    ]))
        }
        for fact in result.facts { records.append(record(.fact, ["text": .string(fact)])) }
        records.append(record(.researchNote, ["text": .string(result.note)]))
        return records
    }

    private func statsPayload(_ stats: ResearchStats) -> JSONValue {
        var skipped = JSONObject()
        for key in stats.skipped.keys.sorted() { skipped[key] = .int(Int64(stats.skipped[key] ?? 0)) }
        return [
            "files_seen": .int(Int64(stats.filesSeen)), "files_indexed": .int(Int64(stats.filesIndexed)),
            "files_from_cache": .int(Int64(stats.filesFromCache)), "bytes_read": .int(stats.bytesRead),
            "skipped": .object(skipped), "engine_ms": .int(Int64(stats.durationMs)),
        ]
    }

    private func summarize(_ result: ResearchResult, started: UInt64) {
        let seconds = Double((Timestamp.monotonicNanos() - started) / 1_000_000) / 1000
        let top = result.relatedFiles.prefix(3).map(\.path).joined(separator: ", ")
        say("research: done in \(seconds) s; \(result.relatedFiles.count) related files (top: \(top))")
    }

    private func fail(_ error: any Error, started: UInt64) -> Result {
        if let reason = cancellation.reason {
            emitter.emit(.phaseFailed, phase: .research, ["reason": .string(reason.rawValue)])
            return .failed(RunOutcome(reason))
        }
        var (code, reason): (String, RunOutcome.Reason) =
            switch error {
            case is WorkspaceError: ("workspace_error", .usageError)
            case is MemoryError: ("memory_error", .configurationError)
            default: ("research_failed", .internalError)
            }
        var message = "research failed: \(error)"
        if session != nil, !(error is WorkspaceError), !(error is MemoryError) {
            let failure = ModelPhases.describe(error)
            (code, reason, message) = (failure.code, failure.reason, failure.message)
        }
        emitter.emit(.error, phase: .research, EventPayloads.error(code: code, message: message, fatal: true))
        emitter.emit(.phaseFailed, phase: .research, ["reason": .string(code)])
        return .failed(RunOutcome(reason, message: message))
    }
}
