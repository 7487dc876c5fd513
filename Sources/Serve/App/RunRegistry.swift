import Memory
import Phases
import Synchronization

/// The runs this server started: a cap on concurrently executing runs with a FIFO queue, cancellation,
/// and subscription (live runs from memory, finished ones from their event log).
final class RunRegistry: Sendable {
    /// One run's bookkeeping.
    final class Entry: Sendable {
        let id: String
        let session: String
        let configuration: RunConfiguration
        let broadcaster: RunBroadcaster
        let cancellation = CancellationSource()
        let emitter: EventEmitter
        let log: EventLog?
        /// Approvals and questions the run asks its session's clients (model runs only).
        let questions: ClientQuestions?

        init(
            id: String, configuration: RunConfiguration, broadcaster: RunBroadcaster, emitter: EventEmitter, log: EventLog?,
            questions: ClientQuestions?
        ) {
            self.id = id
            self.session = configuration.session
            self.configuration = configuration
            self.broadcaster = broadcaster
            self.emitter = emitter
            self.log = log
            self.questions = questions
        }
    }

    /// Run counts by state, for /metrics.
    struct Counts: Sendable, Equatable {
        var queued = 0
        var running = 0
        var finishedByStatus: [String: Int] = [:]
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var queue: [Entry] = []
        var running: Set<String> = []
        var finishedByStatus: [String: Int] = [:]
        var tasks: [String: Task<Void, Never>] = [:]
    }

    /// Executes one run to its `run.completed`; ``RunRegistry/pipeline`` unless a test injects another.
    typealias Executor = @Sendable (Entry, MemoryStore) async -> RunOutcome

    /// The real executor: raaid's pipeline.
    static let pipeline: Executor = { entry, memory in
        await RunPipeline(
            configuration: entry.configuration, memory: memory, emitter: entry.emitter, cancellation: entry.cancellation
        ).run()
    }

    private let state = Mutex(State())
    private let memory: MemoryStore
    private let maxConcurrentRuns: Int
    private let log: ServerLog
    private let execute: Executor

    init(memory: MemoryStore, maxConcurrentRuns: Int, log: ServerLog, executor: @escaping Executor = RunRegistry.pipeline) {
        self.memory = memory
        self.maxConcurrentRuns = max(1, maxConcurrentRuns)
        self.log = log
        self.execute = executor
    }

    /// Registers a run and starts it now or queues it (the queued run's first event is `run.queued`).
    /// `makeConfiguration` gets the run's emitter (model runs report retries through it).
    func submit(
        runID: String, questions: ClientQuestions? = nil,
        makeConfiguration: (EventEmitter) throws -> RunConfiguration
    ) rethrows -> Entry {
        let eventLog = try? memory.openEventLog(run: runID)
        let broadcaster = RunBroadcaster()
        let emitter = EventEmitter(runID: runID, output: broadcaster, log: eventLog.map { EventLogSink(log: $0) })
        questions?.attach(emitter)
        let entry = Entry(
            id: runID, configuration: try makeConfiguration(emitter), broadcaster: broadcaster, emitter: emitter,
            log: eventLog, questions: questions)
        state.withLock { $0.entries[runID] = entry }
        return entry
    }

    /// Starts a submitted run now, or queues it (its first event is then `run.queued`).
    func start(_ entry: Entry) {
        let position: Int? = state.withLock { state in
            if state.running.count < maxConcurrentRuns && state.queue.isEmpty {
                state.running.insert(entry.id)
                return nil
            }
            state.queue.append(entry)
            return state.queue.count
        }
        if let position {
            entry.emitter.emit(
                .runQueued, ["position": .int(Int64(position)), "max_concurrent_runs": .int(Int64(maxConcurrentRuns))])
            log.info("run queued", ["run": entry.id, "session": entry.session, "position": String(position)])
        } else {
            launch(entry)
        }
    }

    private func launch(_ entry: Entry) {
        log.info("run started", ["run": entry.id, "session": entry.session])
        let memory = memory
        let execute = execute
        let task = Task {
            let outcome = await execute(entry, memory)
            try? entry.log?.sync()
            entry.log?.close()
            self.finished(entry, status: outcome.status.rawValue, reason: outcome.reason.rawValue)
        }
        state.withLock { $0.tasks[entry.id] = task }
    }

    private func finished(_ entry: Entry, status: String, reason: String) {
        log.info("run finished", ["run": entry.id, "status": status, "reason": reason])
        let next: Entry? = state.withLock { state in
            state.running.remove(entry.id)
            state.tasks[entry.id] = nil
            state.finishedByStatus[status, default: 0] += 1
            guard !state.queue.isEmpty else { return nil }
            let next = state.queue.removeFirst()
            state.running.insert(next.id)
            return next
        }
        if let next { launch(next) }
    }

    /// The run `id`, if this server started it.
    func entry(_ id: String) -> Entry? { state.withLock { $0.entries[id] } }

    /// Cancels a queued or running run. A queued run ends at once with `run.completed` status `cancelled`.
    func cancel(_ entry: Entry, reason: RunOutcome.Reason) {
        let wasQueued = state.withLock { state in
            guard let index = state.queue.firstIndex(where: { $0.id == entry.id }) else { return false }
            state.queue.remove(at: index)
            state.finishedByStatus["cancelled", default: 0] += 1
            return true
        }
        entry.cancellation.cancel(reason)
        if wasQueued {
            entry.emitter.complete(
                EventPayloads.runCompleted(RunOutcome(reason, message: "cancelled while queued"), durationMs: 0))
            entry.log?.close()
        }
    }

    /// Run counts for metrics and readiness.
    var counts: Counts {
        state.withLock { state in
            Counts(queued: state.queue.count, running: state.running.count, finishedByStatus: state.finishedByStatus)
        }
    }

    /// Waits up to `timeout` seconds for running and queued runs to finish, then cancels the rest with
    /// `reason` and waits for them to write `run.completed`.
    func drain(timeout: Double, reason: RunOutcome.Reason) async {
        let deadline = ContinuousClock.now + .milliseconds(Int(timeout * 1000))
        while ContinuousClock.now < deadline {
            let busy = state.withLock { !$0.running.isEmpty || !$0.queue.isEmpty }
            if !busy { return }
            try? await Task.sleep(for: .milliseconds(20))
        }
        let (queued, running) = state.withLock { state in
            (state.queue, state.running.compactMap { state.entries[$0] })
        }
        for entry in queued + running { cancel(entry, reason: reason) }
        let tasks = state.withLock { Array($0.tasks.values) }
        for task in tasks { await task.value }
    }
}
