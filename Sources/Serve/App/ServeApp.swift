import Memory
import Phases
import Synchronization

/// raaid's protocol over any transport: `hello` on connect, client messages in, events plus
/// `ack` / `error` replies out (docs/protocol.md). The WebSocket server feeds it; tests can drive it directly.
public final class ServeApp: Sendable {
    let configuration: ServeConfiguration
    let memory: MemoryStore
    let log: ServerLog
    let sessions = SessionRegistry()
    let runs: RunRegistry
    let metrics = AppMetrics()
    /// Replaces the configured provider (tests use a scripted model).
    let providerFactory: (@Sendable () -> any LLMProvider)?

    /// Creates the app over an open memory directory.
    public convenience init(configuration: ServeConfiguration, memory: MemoryStore, log: ServerLog) {
        self.init(configuration: configuration, memory: memory, log: log, executor: RunRegistry.pipeline)
    }

    /// Creates the app with a custom run executor (tests use one that waits to be cancelled).
    init(
        configuration: ServeConfiguration, memory: MemoryStore, log: ServerLog, executor: @escaping RunRegistry.Executor,
        providerFactory: (@Sendable () -> any LLMProvider)? = nil
    ) {
        self.providerFactory = providerFactory
        self.configuration = configuration
        self.memory = memory
        self.log = log
        self.runs = RunRegistry(
            memory: memory, maxConcurrentRuns: configuration.maxConcurrentRuns, log: log, executor: executor)
    }

    /// One connection's protocol state.
    public final class Context: Sendable {
        let connection: any ClientConnection
        let session: ClientSession
        struct State {
            var limiter: RateLimiter
            var subscriptions: Set<String> = []
            var cancelOnDisconnect: Set<String> = []
            var refusals = 0
        }
        private let state: Mutex<State>

        init(connection: any ClientConnection, session: ClientSession, limiter: RateLimiter) {
            self.connection = connection
            self.session = session
            self.state = Mutex(State(limiter: limiter))
        }

        func withState<T>(_ body: (inout State) -> T) -> T { state.withLock { body(&$0) } }
    }

    /// A client connected (already authenticated); sends `hello`. `resumeToken` resumes an earlier session.
    public func open(_ connection: any ClientConnection, resumeToken: String?) -> Context {
        var resumed = false
        var session: ClientSession
        if let resumeToken, let existing = sessions.resume(token: resumeToken) {
            session = existing
            resumed = true
        } else {
            session = sessions.create()
        }
        let context = Context(
            connection: connection, session: session,
            limiter: RateLimiter(rate: configuration.messageRate, burst: configuration.messageBurst))
        metrics.connectionOpened()
        log.info(
            "client connected",
            ["connection": String(connection.connectionID), "session": session.id, "resumed": String(resumed)])
        let hello: JSONObject = [
            "type": "hello", "v": 1, "protocol": .int(Int64(Serve.protocolVersion)),
            "version": .string(configuration.version), "session": .string(session.id),
            "session_token": .string(session.token), "resumed": .bool(resumed),
            "connection": .int(Int64(connection.connectionID)),
            "limits": [
                "max_concurrent_runs": .int(Int64(configuration.maxConcurrentRuns)),
                "messages_per_second": .double(configuration.messageRate),
                "burst": .double(configuration.messageBurst),
            ],
        ]
        connection.send(text: JSONValue.object(hello).serialized())
        if resumeToken != nil && !resumed {
            reply(error: ProtocolFailure("unknown_session", "the session token is not known to this server (it restarted?); a new session was created"), to: context)
        }
        return context
    }

    /// A text frame arrived.
    public func receive(text: String, from context: Context) {
        let allowed = context.withState { $0.limiter.allow() }
        guard allowed else {
            let refusals = context.withState { state in state.refusals += 1; return state.refusals }
            reply(
                error: ProtocolFailure(
                    "rate_limited",
                    "more than \(Int(configuration.messageRate)) messages per second; slow down (message dropped)"),
                to: context)
            if refusals >= 100 {
                log.warning("closing a client that keeps exceeding the rate limit", ["connection": String(context.connection.connectionID)])
                context.connection.close(code: 1008, reason: "rate limit exceeded repeatedly")
            }
            return
        }
        let message: ClientMessage
        do {
            message = try ClientMessage.parse(text)
        } catch {
            reply(error: error, to: context)
            return
        }
        handle(message, context: context)
    }

    /// A binary frame arrived: refused with an `error` frame; the connection stays open.
    public func receiveBinary(from context: Context) {
        reply(
            error: ProtocolFailure("binary_not_supported", "binary frames are not accepted; send JSON text frames"),
            to: context)
    }

    /// The connection closed: its subscriptions end; runs started with `cancel_on_disconnect` are cancelled.
    public func close(_ context: Context) {
        let (subscriptions, toCancel) = context.withState { ($0.subscriptions, $0.cancelOnDisconnect) }
        for run in subscriptions { runs.entry(run)?.broadcaster.unsubscribe(context.connection.connectionID) }
        for run in toCancel {
            if let entry = runs.entry(run) { runs.cancel(entry, reason: .clientCancelled) }
        }
        metrics.connectionClosed()
        log.info("client disconnected", ["connection": String(context.connection.connectionID), "session": context.session.id])
    }

    /// Prometheus text for /metrics (the transport appends its own counters).
    public func renderMetrics() -> String { metrics.render(runs: runs.counts, sessions: sessions.count) }

    /// Records a refused upgrade for /metrics.
    public func recordRefusal(_ reason: String) { metrics.refused(reason) }

    /// Stops runs: waits up to the drain timeout, then cancels what is left.
    public func drain() async { await runs.drain(timeout: configuration.drainTimeout, reason: .shutdown) }

    func reply(ack type: String, id: String?, extra: JSONObject = [:], to context: Context) {
        var object: JSONObject = ["type": "ack", "v": 1, "id": .from(id), "for": .string(type)]
        for (key, value) in extra.pairs { object[key] = value }
        context.connection.send(text: JSONValue.object(object).serialized())
    }

    func reply(error failure: ProtocolFailure, to context: Context) {
        metrics.protocolError(failure.code)
        log.debug("client error", ["connection": String(context.connection.connectionID), "code": failure.code])
        let object: JSONObject = [
            "type": "error", "v": 1, "id": .from(failure.requestID), "for": .from(failure.type),
            "code": .string(failure.code), "message": .string(failure.message),
        ]
        context.connection.send(text: JSONValue.object(object).serialized())
    }
}
