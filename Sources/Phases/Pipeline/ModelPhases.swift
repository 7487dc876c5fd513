import Memory

/// Planning and implementation with a model, and the mapping of their failures to run outcomes.
struct ModelPhases: Sendable {
    let configuration: RunConfiguration
    let memory: MemoryStore
    let session: ModelSession
    let options: ModelRunOptions
    let say: @Sendable (String) -> Void

    func run(phases: inout JSONObject, tally: inout ResearchPhase.Tally) async -> RunOutcome {
        let emitter = session.emitter
        // Planning, or the plan of the run being resumed.
        var tasks: [PlannedTask]
        var taskRecords: [String: MemoryRecord] = [:]
        if let resumed = configuration.resumedFrom, let previous = try? previousTasks(of: resumed), !previous.tasks.isEmpty {
            emitter.emit(.phaseSkipped, phase: .planning, ["reason": "resumed"])
            phases["planning"] = "skipped"
            tasks = previous.tasks
            taskRecords = previous.records
        } else {
            let started = Timestamp.monotonicNanos()
            emitter.emit(.phaseStarted, phase: .planning, ["engine": "model"])
            say("planning with \(options.settings.model)")
            do {
                tasks = try await PlanningPhase(configuration: configuration, memory: memory, session: session).run()
                let promoted = try memory.promote(session: configuration.session, run: emitter.runID, phase: PhaseName.planning.rawValue)
                tally.promoted += promoted.count
                taskRecords = try previousTasks(of: emitter.runID).records
                emitter.emit(
                    .phaseCompleted, phase: .planning,
                    ["duration_ms": .int(Int64((Timestamp.monotonicNanos() - started) / 1_000_000)), "promoted": .int(Int64(promoted.count))])
                phases["planning"] = "completed"
            } catch {
                phases["planning"] = session.cancellation.isCancelled ? "cancelled" : "failed"
                return fail(error, phase: .planning)
            }
        }
        if options.isPlanOnly {
            emitter.emit(.phaseSkipped, phase: .implementation, ["reason": "plan_only"])
            phases["implementation"] = "skipped"
            return .success
        }
        let started = Timestamp.monotonicNanos()
        emitter.emit(.phaseStarted, phase: .implementation, ["engine": "model"])
        say("implementing \(tasks.count) task\(tasks.count == 1 ? "" : "s")")
        do {
            try await ImplementationPhase(
                configuration: configuration, memory: memory, session: session, testCommand: options.testCommand,
                maxTestRetries: options.maxTestRetries
            ).run(tasks: tasks, records: taskRecords)
            let promoted = try memory.promote(session: configuration.session, run: emitter.runID, phase: PhaseName.implementation.rawValue)
            tally.promoted += promoted.count
            emitter.emit(
                .phaseCompleted, phase: .implementation,
                ["duration_ms": .int(Int64((Timestamp.monotonicNanos() - started) / 1_000_000)), "promoted": .int(Int64(promoted.count))])
            phases["implementation"] = "completed"
            return .success
        } catch {
            phases["implementation"] = session.cancellation.isCancelled ? "cancelled" : "failed"
            return fail(error, phase: .implementation)
        }
    }

    /// The latest version of each `task` record a run wrote, by task index.
    private func previousTasks(of run: String) throws -> (tasks: [PlannedTask], records: [String: MemoryRecord]) {
        let records = try memory.readAll(kind: .task).records.filter { $0.run == run }
        var latest: [String: MemoryRecord] = [:]
        for record in records {
            let index = String(record.data["index"]?.intValue ?? 0)
            if let existing = latest[index], existing.time > record.time { continue }
            latest[index] = record
        }
        let tasks = latest.values.map { PlannedTask(index: $0.data["index"]?.intValue ?? 0, json: .object($0.data)) }
            .sorted { $0.index < $1.index }
        return (tasks, latest)
    }

    /// Emits `error` and `phase.failed` for a failure and returns the run's outcome.
    func fail(_ error: any Error, phase: PhaseName) -> RunOutcome {
        let emitter = session.emitter
        if let reason = session.cancellation.reason, error is CancellationError || Task.isCancelled {
            emitter.emit(.phaseFailed, phase: phase, ["reason": .string(reason.rawValue)])
            return RunOutcome(reason)
        }
        let failure = Self.describe(error)
        emitter.emit(
            .error, phase: phase,
            EventPayloads.error(code: failure.code, message: failure.message, fatal: true, httpStatus: failure.httpStatus))
        emitter.emit(.phaseFailed, phase: phase, ["reason": .string(failure.code)])
        return RunOutcome(failure.reason, message: failure.message)
    }

    /// The error code, message, HTTP status and outcome of a phase failure.
    static func describe(_ error: any Error) -> (code: String, message: String, httpStatus: Int?, reason: RunOutcome.Reason) {
        switch error {
        case let limit as LimitReached:
            return (limit.reason.rawValue, limit.message, nil, limit.reason)
        case let failure as AgentFailure:
            return (failure.code, failure.message, nil, failure.reason)
        case let provider as ProviderError:
            let configuration = provider.kind == .auth || provider.kind == .quotaExhausted
            return (provider.code, provider.description, provider.httpStatus, configuration ? .configurationError : .providerError)
        case let replay as ReplayError:
            return ("replay_mismatch", replay.message, nil, .configurationError)
        case let overflow as ContextOverflow:
            return ("context_overflow", overflow.message, nil, .taskFailed)
        case let memoryError as MemoryError:
            return ("memory_error", memoryError.description, nil, .configurationError)
        default:
            return ("internal_error", "\(error)", nil, .internalError)
        }
    }
}
