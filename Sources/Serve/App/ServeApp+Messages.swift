import Memory
import Phases

extension ServeApp {
    /// Dispatches one valid client message.
    func handle(_ message: ClientMessage, context: Context) {
        switch message {
        case .runStart(let id, let task, let options):
            startRun(id: id, task: task, options: options, context: context)
        case .subscribe(let id, let run, let sinceSeq):
            subscribe(id: id, run: run, sinceSeq: sinceSeq, context: context)
        case .unsubscribe(let id, let run):
            runs.entry(run)?.broadcaster.unsubscribe(context.connection.connectionID)
            _ = context.withState { $0.subscriptions.remove(run) }
            reply(ack: message.type, id: id, extra: ["run": .string(run)], to: context)
        case .runCancel(let id, let run):
            guard let entry = ownedEntry(run, id: id, type: message.type, context: context) else { return }
            runs.cancel(entry, reason: .clientCancelled)
            log.info("run cancel requested", ["run": run, "connection": String(context.connection.connectionID)])
            reply(ack: message.type, id: id, extra: ["run": .string(run)], to: context)
        case .permissionRespond(let id, let run, let request, let allow):
            guard let entry = ownedEntry(run, id: id, type: message.type, context: context) else { return }
            if entry.questions?.resolve(request, with: allow ? "allow" : "deny") == true {
                log.info("approval answered", ["run": run, "request": request, "decision": allow ? "allow" : "deny"])
                reply(ack: message.type, id: id, extra: ["run": .string(run)], to: context)
            } else {
                reply(
                    error: ProtocolFailure(
                        "no_pending_request", "run \(run) is not waiting on a permission request '\(request)'",
                        requestID: id, type: message.type),
                    to: context)
            }
        case .answer(let id, let run, let question, let text):
            guard let entry = ownedEntry(run, id: id, type: message.type, context: context) else { return }
            if entry.questions?.resolve(question, with: text) == true {
                reply(ack: message.type, id: id, extra: ["run": .string(run)], to: context)
            } else {
                reply(
                    error: ProtocolFailure(
                        "no_pending_request", "run \(run) is not waiting on a question '\(question)'",
                        requestID: id, type: message.type),
                    to: context)
            }
        case .ping(let id):
            reply(ack: message.type, id: id, to: context)
        }
    }

    private func startRun(id: String?, task text: String, options: RunStartOptions, context: Context) {
        let task: TaskInput
        do {
            task = try TaskInput.fromMessage(text)
        } catch {
            reply(error: ProtocolFailure(error.code, error.message, requestID: id, type: "run.start"), to: context)
            return
        }
        let runID = RunConfiguration.makeRunID()
        var run = RunConfiguration(
            task: task, workspace: configuration.workspace, memoryDirectory: configuration.memoryDirectory,
            session: context.session.id, isResearchOnly: options.isResearchOnly, version: configuration.version)
        run.maxRelatedFiles = options.maxRelatedFiles
        run.maxSnippets = options.maxSnippets
        let usesModel = !options.isResearchOnly && configuration.provider != nil
        let questions = usesModel ? ClientQuestions() : nil
        let entry: RunRegistry.Entry
        do {
            entry = try runs.submit(runID: runID, questions: questions) { emitter in
                if let questions, let provider = configuration.provider {
                    run.model = try modelOptions(provider, questions: questions, emitter: emitter)
                }
                return run
            }
        } catch {
            reply(
                error: ProtocolFailure("provider_setup_failed", "the model could not be set up: \(error)", requestID: id, type: "run.start"),
                to: context)
            return
        }
        context.withState { state in
            state.subscriptions.insert(runID)
            if options.cancelOnDisconnect { state.cancelOnDisconnect.insert(runID) }
        }
        reply(ack: "run.start", id: id, extra: ["run": .string(runID), "session": .string(context.session.id)], to: context)
        entry.broadcaster.subscribe(context.connection, sinceSeq: 0)
        runs.start(entry)
    }

    /// Model options for a serve run: shell calls the rules deny wait for a client's approval.
    private func modelOptions(
        _ provider: ProviderConfiguration, questions: ClientQuestions, emitter: EventEmitter
    ) throws -> ModelRunOptions {
        guard var base = try providerFactory?() ?? provider.makeProvider() else { throw ProviderConfigurationError(code: "no_model", message: "no provider") }
        base = RetryingProvider.reporting(base, to: emitter)
        var settings = ModelSettings(providerName: provider.kind.rawValue, model: provider.model)
        settings.isLocal = provider.isLocal
        let workspace = try WorkspaceRoot(configuration.workspace)
        let policy = PermissionPolicy(
            mode: configuration.isCowboyMode ? .cowboy : .implement, rules: try PermissionRules(parsing: configuration.permissionRules),
            approvals: questions, workspace: workspace)
        var options = ModelRunOptions(provider: base, settings: settings, permissions: policy)
        options.human = questions
        return options
    }

    private func subscribe(id: String?, run: String, sinceSeq: Int, context: Context) {
        if let entry = runs.entry(run) {
            guard entry.session == context.session.id else {
                reply(error: forbidden(run, id: id, type: "subscribe"), to: context)
                return
            }
            context.withState { _ = $0.subscriptions.insert(run) }
            reply(ack: "subscribe", id: id, extra: ["run": .string(run), "live": .bool(!entry.broadcaster.isFinished)], to: context)
            entry.broadcaster.subscribe(context.connection, sinceSeq: sinceSeq)
            return
        }
        // A run from before this server started (or from `raaid run`): replay its event log.
        do {
            guard let state = try memory.readRunState(run: run) else { throw MemoryError.noSuchRun(run) }
            guard state["session"]?.stringValue == context.session.id else {
                reply(error: forbidden(run, id: id, type: "subscribe"), to: context)
                return
            }
            let lines = try memory.readEvents(run: run, sinceSeq: sinceSeq + 1)
            reply(ack: "subscribe", id: id, extra: ["run": .string(run), "live": false], to: context)
            for line in lines { context.connection.send(text: line) }
        } catch {
            reply(
                error: ProtocolFailure(
                    "unknown_run", "no run '\(run)' in this server or its memory directory", requestID: id,
                    type: "subscribe"),
                to: context)
        }
    }

    private func ownedEntry(_ run: String, id: String?, type: String, context: Context) -> RunRegistry.Entry? {
        guard let entry = runs.entry(run) else {
            reply(
                error: ProtocolFailure("unknown_run", "no live run '\(run)' on this server", requestID: id, type: type),
                to: context)
            return nil
        }
        guard entry.session == context.session.id else {
            reply(error: forbidden(run, id: id, type: type), to: context)
            return nil
        }
        return entry
    }

    private func forbidden(_ run: String, id: String?, type: String) -> ProtocolFailure {
        ProtocolFailure(
            "forbidden", "run '\(run)' belongs to another session; resume that session with its session token",
            requestID: id, type: type)
    }
}
