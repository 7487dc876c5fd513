import Memory

/// Runs the phases of one run and writes its events; `run.completed` is always the last event.
///
/// Research runs on the built-in ``ResearchEngine`` (and, with a model, continues with read-only tools).
/// Planning and implementation need a model: without one, the run ends after research with a configuration
/// error (exit 3), and what research learned stays in memory.
public struct RunPipeline: Sendable {
    let configuration: RunConfiguration
    let memory: MemoryStore
    let emitter: EventEmitter
    let cancellation: CancellationSource
    let say: @Sendable (String) -> Void

    /// Creates a pipeline.
    /// - Parameters:
    ///   - say: Human progress lines (stderr), already filtered by `--progress` / `--quiet`.
    public init(
        configuration: RunConfiguration, memory: MemoryStore, emitter: EventEmitter,
        cancellation: CancellationSource, say: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.configuration = configuration
        self.memory = memory
        self.emitter = emitter
        self.cancellation = cancellation
        self.say = say
    }

    /// Executes the run and returns how it ended (already reported as `run.completed`).
    public func run() async -> RunOutcome {
        let started = Timestamp.monotonicNanos()
        emitter.emit(.runStarted, runStartedPayload())
        await saveState(status: "running", outcome: nil)
        let ledger = UsageLedger(limits: configuration.limits)
        let session = configuration.model.map { makeSession($0, ledger: ledger) }
        var watchdog: Task<Void, Never>?
        if let timeout = configuration.limits.timeout {
            let cancellation = cancellation
            watchdog = Task {
                try? await Task.sleep(for: .milliseconds(Int(timeout * 1000)))
                if !Task.isCancelled { cancellation.cancel(.timeout) }
            }
        }
        let work = Task { await execute(session: session) }
        cancellation.onCancel { work.cancel() }
        let (outcome, phases, tally) = await work.value
        watchdog?.cancel()
        return await finish(outcome, started: started, phases: phases, tally: tally, ledger: ledger)
    }

    private func execute(session: ModelSession?) async -> (RunOutcome, JSONObject, ResearchPhase.Tally) {
        var phases = JSONObject()
        var tally = ResearchPhase.Tally()
        let research = ResearchPhase(
            configuration: configuration, memory: memory, emitter: emitter, cancellation: cancellation, say: say,
            session: session)
        if case .failed(let failure) = await research.run(tally: &tally) {
            phases["research"] = cancellation.isCancelled ? "cancelled" : "failed"
            return (failure, phases, tally)
        }
        phases["research"] = "completed"
        if configuration.isResearchOnly { return (.success, phases, tally) }
        guard let session, let options = configuration.model else {
            let message =
                "planning and implementation need a model, and none is configured; research was recorded in "
                + "memory. Set ANTHROPIC_API_KEY or OPENAI_API_KEY (or --provider/--base-url), or run with --research-only"
            for phase in [PhaseName.planning, .implementation] {
                emitter.emit(.phaseSkipped, phase: phase, ["reason": "no_model"])
                phases[phase.rawValue] = "skipped"
            }
            emitter.emit(.error, EventPayloads.error(code: "no_model", message: message, fatal: true))
            return (RunOutcome(.configurationError, message: message), phases, tally)
        }
        let model = ModelPhases(
            configuration: configuration, memory: memory, session: session, options: options, say: say)
        let outcome = await model.run(phases: &phases, tally: &tally)
        return (outcome, phases, tally)
    }

    private func makeSession(_ options: ModelRunOptions, ledger: UsageLedger) -> ModelSession {
        let memoryPrefix = configuration.workspace + "/"
        var excluded = [".raaid"]
        if configuration.memoryDirectory.hasPrefix(memoryPrefix) {
            excluded.append(String(configuration.memoryDirectory.dropFirst(memoryPrefix.count)))
        }
        let workspace = (try? WorkspaceRoot(configuration.workspace, protectedPaths: [".git"] + excluded))
        var context = ToolContext(
            workspace: workspace ?? (try! WorkspaceRoot(configuration.workspace)), memory: memory,
            session: configuration.session, run: emitter.runID, human: options.human)
        context.shell.testCommand = options.testCommand
        return ModelSession(
            provider: options.provider, settings: options.settings, ledger: ledger, emitter: emitter,
            cancellation: cancellation, registry: ToolRegistry.standard(excludedPaths: excluded), policy: options.permissions,
            isFailingOnDenial: options.isFailingOnDenial, baseContext: context,
            runDirectory: memory.directory + "/runs/" + emitter.runID)
    }

    /// Writes `run.completed` and the final `run.json`.
    func finish(
        _ outcome: RunOutcome, started: UInt64, phases: JSONObject, tally: ResearchPhase.Tally, ledger: UsageLedger
    ) async -> RunOutcome {
        var outcome = outcome
        if let reason = cancellation.reason, outcome.status != .success || reason == .timeout {
            outcome = reason == .timeout
                ? RunOutcome(.timeout, message: "the run hit its --timeout of \(configuration.limits.timeout ?? 0) s")
                : RunOutcome(reason, message: "the run was cancelled (\(reason.rawValue))")
        }
        let durationMs = Int((Timestamp.monotonicNanos() - started) / 1_000_000)
        emitter.complete(
            EventPayloads.runCompleted(
                outcome, durationMs: durationMs, phases: phases, recordsWritten: tally.recordsWritten,
                promoted: tally.promoted, totals: configuration.model == nil ? nil : ledger.totals,
                filesChanged: ledger.filesChanged, denials: ledger.denials))
        await saveState(status: outcome.status.rawValue, outcome: outcome)
        return outcome
    }

    private func runStartedPayload() -> JSONObject {
        var task: JSONObject = [
            "source": .string(configuration.task.source.rawValue), "digest": .string(configuration.task.digest),
            "bytes": .int(Int64(configuration.task.byteCount)),
        ]
        if let path = configuration.task.path { task["path"] = .string(path) }
        var limits = configuration.limits.payload
        limits["max_related_files"] = .int(Int64(configuration.maxRelatedFiles))
        limits["max_snippets"] = .int(Int64(configuration.maxSnippets))
        let mode: String =
            switch configuration.model?.permissions.mode {
            case .cowboy: "cowboy"
            case .implement: configuration.isResearchOnly ? "read_only" : "edit"
            default: "read_only"
            }
        var payload: JSONObject = [
            "version": .string(configuration.version),
            "session": .string(configuration.session),
            "workspace": .string(configuration.workspace),
            "memory_dir": .string(configuration.memoryDirectory),
            "task": .object(task),
            "phases": .from(configuration.phases.map(\.rawValue)),
            "provider": .from(configuration.model?.settings.providerName),
            "model": .from(configuration.model?.settings.model),
            "permission_mode": .string(mode),
            "limits": .object(limits),
        ]
        if let resumed = configuration.resumedFrom { payload["resumed_from"] = .string(resumed) }
        return payload
    }

    /// Writes `runs/<run>/run.json` (atomically, with fsync: on a thread of its own, not the cooperative pool).
    private func saveState(status: String, outcome: RunOutcome?) async {
        var state: JSONObject = [
            "v": 1, "run": .string(emitter.runID), "session": .string(configuration.session),
            "status": .string(status), "updated": .string(Timestamp.now()), "last_seq": .int(Int64(emitter.lastSeq)),
            "task_digest": .string(configuration.task.digest), "workspace": .string(configuration.workspace),
            "task": .string(configuration.task.text), "research_only": .bool(configuration.isResearchOnly),
        ]
        if let resumed = configuration.resumedFrom { state["resumed_from"] = .string(resumed) }
        if let outcome {
            state["reason"] = .string(outcome.reason.rawValue)
            state["exit_code"] = .int(Int64(outcome.exitCode))
        }
        let (memory, run, value) = (memory, emitter.runID, JSONValue.object(state))
        do {
            try await BlockingWork.run { try memory.writeRunState(run: run, value) }
        } catch {
            say("warning: could not write run.json: \(error)")
        }
    }
}
