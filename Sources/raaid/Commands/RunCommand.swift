#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Musl)
@preconcurrency import Musl
#endif
import Dispatch
import Memory
import Phases

/// `raaid run`: validates the input, opens memory, runs the pipeline, and exits with the code that
/// matches `run.completed`. Every path, bad input included, ends with exactly one `run.completed`.
struct RunCommand {
    let parsed: ParsedArguments

    func execute() async -> Int32 {
        let runID = RunConfiguration.makeRunID()
        let stdout = FileDescriptorSink(descriptor: 1)
        let prepared: (RunConfiguration, MemoryStore, ProviderConfiguration?)
        do {
            prepared = try prepare(runID: runID)
        } catch {
            Self.emitFailure(error, runID: runID)
            return error.reason.exitCode
        }
        var (configuration, memory, provider) = prepared
        memory.onWarning = { Console.err("warning: \($0)\n") }
        let cancellation = CancellationSource()
        let log: EventLog?
        do {
            log = try memory.openEventLog(run: runID)
        } catch {
            log = nil
            Console.err("warning: events will not be saved in the memory directory: \(error)\n")
        }
        let emitter = EventEmitter(
            runID: runID, output: stdout, log: log.map { EventLogSink(log: $0) },
            onOutputClosed: { cancellation.cancel(.outputClosed) },
            onLogFailure: { Console.err("warning: could not append to the run's event log: \($0)\n") })
        let signals = SignalTrap { kind, count in
            let reason: RunOutcome.Reason = kind == .sigint ? .sigint : .sigterm
            if count == 1 {
                cancellation.cancel(reason)
                return
            }
            // A second signal: stop now, still ending the stream with run.completed.
            emitter.complete(
                EventPayloads.runCompleted(RunOutcome(reason, message: "stopped by a second signal"), durationMs: 0))
            try? log?.sync()
            exit(reason.exitCode)
        }
        if let provider {
            do {
                configuration.model = try modelOptions(provider, workspace: configuration.workspace, emitter: emitter)
            } catch {
                let failure =
                    (error as? RunError)
                    ?? RunError(
                        code: error is ReplayError ? "replay_unreadable" : "provider_setup_failed", message: "\(error)",
                        reason: .configurationError)
                Self.report(failure, to: emitter)
                signals.cancel()
                log?.close()
                Console.err("Error: \(failure.message)\n")
                return failure.reason.exitCode
            }
        }
        let say = makeSay()
        let outcome = await RunPipeline(
            configuration: configuration, memory: memory, emitter: emitter, cancellation: cancellation, say: say
        ).run()
        signals.cancel()
        try? log?.sync()
        log?.close()
        if outcome.status != .success, let message = outcome.message, outcome.reason != .outputClosed {
            Console.err("Error: \(message)\n")
        }
        return outcome.exitCode
    }

    /// Validates flags, task, workspace and memory directory, in that order.
    private func prepare(runID: String) throws(RunError) -> (RunConfiguration, MemoryStore, ProviderConfiguration?) {
        if parsed.has("progress") && parsed.has("quiet") {
            throw usage("--progress and --quiet cannot be used together; pick one", code: "conflicting_options")
        }
        if parsed.has("research-only") && parsed.has("plan-only") {
            throw usage("--research-only and --plan-only cannot be used together; pick one", code: "conflicting_options")
        }
        let message = parsed.value("message")
        let taskArgument = parsed.positionals.first
        let resume = parsed.value("resume")
        if resume != nil && (message != nil || taskArgument != nil || parsed.value("session") != nil) {
            throw usage(
                "--resume continues a run with its own task and session; drop the task, --message and --session",
                code: "conflicting_options")
        }
        if message != nil && taskArgument != nil {
            throw usage(
                "a task file ('\(taskArgument!)') and --message were both given; pass only one of them",
                code: "conflicting_options")
        }
        let maxRelated = try integer("max-related", default: 10, range: 1...100)
        let maxSnippets = try integer("max-snippets", default: 5, range: 0...50)
        let session = parsed.value("session")
        if let session, !MemoryStore.isValidName(session) {
            throw usage(
                "invalid session name '\(session)'; use 1 to 128 letters, digits, '.', '_' or '-', not starting with '.'",
                code: "invalid_value")
        }
        let limits = try limits()
        let workspace = try RunConfiguration.resolveWorkspace(parsed.value("workspace") ?? ".")
        let memoryDirectory = parsed.value("memory-dir").map(RunConfiguration.absolute) ?? workspace + "/.raaid"
        var task: TaskInput
        var resumedSession: String?
        if let resume {
            let memory = try MemoryCommand.openStore(memoryDirectory, create: false)
            let state = try Self.resumeState(of: resume, memory: memory)
            task = try TaskInput.fromMessage(state.task)
            task.source = .resume
            resumedSession = state.session
        } else if let message {
            task = try TaskInput.fromMessage(message)
        } else if let taskArgument {
            task = try taskArgument == "-" ? TaskInput.fromStandardInput() : TaskInput.fromFile(taskArgument)
        } else {
            throw usage(
                "no task given; pass a task file, '-' to read standard input, or -m TEXT", code: "missing_task")
        }
        let memory = try MemoryCommand.openStore(memoryDirectory, create: true)
        let provider = try resolveProvider(memoryDirectory: memoryDirectory)
        if provider == nil && parsed.has("plan-only") {
            throw RunError(
                code: "no_model",
                message: "--plan-only needs a model; set ANTHROPIC_API_KEY or OPENAI_API_KEY (or --provider/--base-url)",
                reason: .configurationError)
        }
        let runSession = resumedSession ?? session ?? runID
        var configuration = RunConfiguration(
            task: task, workspace: workspace, memoryDirectory: memoryDirectory, session: runSession,
            isResearchOnly: parsed.has("research-only"), version: CommandTree.version)
        configuration.maxRelatedFiles = maxRelated
        configuration.maxSnippets = maxSnippets
        configuration.limits = limits
        configuration.resumedFrom = resume
        return (configuration, memory, provider)
    }

    func integer(_ key: String, default value: Int, range: ClosedRange<Int>) throws(RunError) -> Int {
        guard let text = parsed.value(key) else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw usage(
                "invalid value '\(text)' for '--\(key)'; expected an integer from \(range.lowerBound) to \(range.upperBound)",
                code: "invalid_value")
        }
        return number
    }

    func usage(_ message: String, code: String) -> RunError {
        RunError(code: code, message: message, reason: .usageError)
    }

    private func makeSay() -> @Sendable (String) -> Void {
        let isEnabled = !parsed.has("quiet") && (parsed.has("progress") || Console.isStderrTerminal)
        return { line in if isEnabled { Console.err("raaid: \(line)\n") } }
    }

    /// Ends a run that could not start: an `error` event, then `run.completed` (and nothing else).
    static func report(_ error: RunError, to emitter: EventEmitter) {
        emitter.emit(.error, EventPayloads.error(code: error.code, message: error.message, fatal: true))
        emitter.complete(EventPayloads.runCompleted(RunOutcome(error.reason, message: error.message), durationMs: 0))
    }

    /// Reports a failure that happened before the run could start, on stdout and as one line on stderr.
    static func emitFailure(_ error: RunError, runID: String = RunConfiguration.makeRunID()) {
        report(error, to: EventEmitter(runID: runID, output: FileDescriptorSink(descriptor: 1)))
        Console.err("Error: \(error.message)\n")
    }

    /// Reports a command-line usage error of `raaid run` on stdout as events (the caller prints the usage).
    static func emitUsageFailure(_ error: UsageError) {
        let failure = RunError(code: error.code, message: error.message, reason: .usageError)
        report(failure, to: EventEmitter(runID: RunConfiguration.makeRunID(), output: FileDescriptorSink(descriptor: 1)))
    }
}
