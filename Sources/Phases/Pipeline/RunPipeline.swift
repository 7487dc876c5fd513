import Memory

/// Runs the phases of one run and writes its events; `run.completed` is always the last event.
///
/// With no model configured (this release), research runs on the built-in ``ResearchEngine``;
/// planning and implementation end the run with a configuration error (exit 3) after research is
/// recorded, as DESIGN.md requires.
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
        saveState(status: "running", outcome: nil)
        var phases = JSONObject()
        var tally = ResearchPhase.Tally()
        var outcome = RunOutcome.success

        let research = ResearchPhase(
            configuration: configuration, memory: memory, emitter: emitter, cancellation: cancellation, say: say)
        switch await research.run(tally: &tally) {
        case .completed:
            phases["research"] = "completed"
        case .failed(let failure):
            phases["research"] = cancellation.isCancelled ? "cancelled" : "failed"
            outcome = failure
        }

        if outcome == .success && !configuration.isResearchOnly {
            let message =
                "planning and implementation need a model, and none is configured; research was recorded in "
                + "memory. Run with --research-only, or configure a provider when model support lands"
            for phase in [PhaseName.planning, .implementation] {
                emitter.emit(.phaseSkipped, phase: phase, ["reason": "no_model"])
                phases[phase.rawValue] = "skipped"
            }
            emitter.emit(.error, EventPayloads.error(code: "no_model", message: message, fatal: true))
            outcome = RunOutcome(.configurationError, message: message)
        }
        return finish(outcome, started: started, phases: phases, tally: tally)
    }

    /// Writes `run.completed` and the final `run.json`.
    func finish(_ outcome: RunOutcome, started: UInt64, phases: JSONObject, tally: ResearchPhase.Tally) -> RunOutcome {
        let outcome = cancellation.reason.map { RunOutcome($0, message: "the run was cancelled (\($0.rawValue))") }
            ?? outcome
        let durationMs = Int((Timestamp.monotonicNanos() - started) / 1_000_000)
        emitter.complete(
            EventPayloads.runCompleted(
                outcome, durationMs: durationMs, phases: phases, recordsWritten: tally.recordsWritten,
                promoted: tally.promoted))
        saveState(status: outcome.status.rawValue, outcome: outcome)
        return outcome
    }

    private func runStartedPayload() -> JSONObject {
        var task: JSONObject = [
            "source": .string(configuration.task.source.rawValue), "digest": .string(configuration.task.digest),
            "bytes": .int(Int64(configuration.task.byteCount)),
        ]
        if let path = configuration.task.path { task["path"] = .string(path) }
        return [
            "version": .string(configuration.version),
            "session": .string(configuration.session),
            "workspace": .string(configuration.workspace),
            "memory_dir": .string(configuration.memoryDirectory),
            "task": .object(task),
            "phases": .from(configuration.phases.map(\.rawValue)),
            "provider": .null,
            "model": .null,
            "permission_mode": "read_only",
            "limits": [
                "max_turns": .null, "max_cost_usd": .null, "max_tokens": .null, "timeout_s": .null,
                "max_related_files": .int(Int64(configuration.maxRelatedFiles)),
                "max_snippets": .int(Int64(configuration.maxSnippets)),
            ],
        ]
    }

    private func saveState(status: String, outcome: RunOutcome?) {
        var state: JSONObject = [
            "v": 1, "run": .string(emitter.runID), "session": .string(configuration.session),
            "status": .string(status), "updated": .string(Timestamp.now()), "last_seq": .int(Int64(emitter.lastSeq)),
            "task_digest": .string(configuration.task.digest), "workspace": .string(configuration.workspace),
        ]
        if let outcome {
            state["reason"] = .string(outcome.reason.rawValue)
            state["exit_code"] = .int(Int64(outcome.exitCode))
        }
        do {
            try memory.writeRunState(run: emitter.runID, .object(state))
        } catch {
            say("warning: could not write run.json: \(error)")
        }
    }
}
