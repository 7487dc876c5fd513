import Synchronization

/// An HTTP/1.1 and WebSocket server on non-blocking sockets and one ``Reactor`` thread.
///
/// ```swift
/// let server = try WebSocketServer(configuration: ServerConfiguration(address: .loopback(port: 8765)), handler: app)
/// let address = try server.bind()          // optional: learn the port before serving
/// try await server.run()                   // until shutdown(drainTimeout:) or cancellation
/// ```
///
/// Each connection is served by child tasks of a discarding task group (its handshake, then its WebSocket). Cancelling the task that runs ``run()`` stops
/// everything at once; ``shutdown(drainTimeout:)`` stops gracefully.
public final class WebSocketServer: Sendable {
    private struct State {
        var listener: Socket?
        var isRunning = false
        var isShuttingDown = false
        var hasStopped = false
        var drainTimeout: Duration = .seconds(5)
        var nextID: UInt64 = 0
        var connections: [UInt64: WSConnection] = [:]
        var stopWaiters: [CheckedContinuation<Void, Never>] = []
    }

    /// The settings in force.
    public let configuration: ServerConfiguration
    let handler: any ServerHandler
    let reactor: Reactor
    let recorder = ServerMetricsRecorder()
    private let state = Mutex(State())

    /// Creates a server; it does not listen until ``bind()`` or ``run()``.
    /// - Throws: ``SocketError`` if the reactor cannot be created.
    public init(configuration: ServerConfiguration = ServerConfiguration(), handler: any ServerHandler) throws {
        self.configuration = configuration
        self.handler = handler
        self.reactor = try Reactor()
    }

    /// A snapshot of the counters.
    public var metrics: ServerMetrics { recorder.snapshot }

    /// The open WebSocket connections, for broadcasting.
    public var connections: [WSConnection] { state.withLock { Array($0.connections.values) } }

    /// Binds and listens (once) and returns the local address, with the real port when port 0 was asked for.
    @discardableResult
    public func bind() throws -> SocketAddress {
        let listener = try state.withLock { state throws -> Socket in
            if let listener = state.listener { return listener }
            guard !state.isShuttingDown else { throw SocketError.closed }
            let listener = try Socket.makeListener(address: configuration.address, backlog: configuration.backlog)
            state.listener = listener
            return listener
        }
        return try listener.localAddress()
    }

    /// Accepts and serves connections until ``shutdown(drainTimeout:)`` completes or the task is cancelled.
    public func run() async throws {
        try bind()
        let listener: Socket? = state.withLock { state in
            guard !state.isRunning, !state.isShuttingDown else { return nil }
            state.isRunning = true
            return state.listener
        }
        guard let listener else { return }
        let acceptor = AsyncSocket(socket: listener, reactor: reactor)
        let work = ConnectionWork()
        await withDiscardingTaskGroup { group in
            group.addTask {
                await self.acceptLoop(acceptor, work: work)
                acceptor.close()
                self.state.withLock { $0.listener = nil }
                if !Task.isCancelled { await self.waitForConnections(upTo: self.state.withLock { $0.drainTimeout }) }
                work.close()
            }
            // Every connection gets two child tasks in turn: its handshake, then (after the handshake task has
            // ended) its WebSocket. See ``ConnectionWork``.
            while let item = await work.next() {
                switch item {
                case .accepted(let socket, let peer):
                    group.addTask { await self.handshake(AsyncSocket(socket: socket, reactor: self.reactor), peer: peer, work: work) }
                case .upgraded(let connection, let context):
                    group.addTask { await self.serveWebSocket(connection, context: context) }
                }
            }
            group.cancelAll()
            // Connections served by a receiver have no task to cancel: stop them directly.
            for connection in connections { connection.abort() }
        }
        // Their teardown runs in short tasks outside the group; give it a moment (it does not wait on the peer). In a
        // task of its own: when run() was cancelled, this wait must not be.
        await Task { await self.waitForConnections(upTo: .seconds(2)) }.value
        reactor.shutdown()
        let waiters = state.withLock { state in
            state.hasStopped = true
            defer { state.stopWaiters = [] }
            return state.stopWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Stops gracefully: closes the listener, sends close 1001 "going away" to every WebSocket client, waits up to
    /// `drainTimeout` for the connections to end, then cancels the rest. Returns when ``run()`` has returned.
    public func shutdown(drainTimeout: Duration = .seconds(5)) async {
        let (listener, connections, isRunning) = state.withLock { state in
            state.isShuttingDown = true
            state.drainTimeout = drainTimeout
            return (state.listener, Array(state.connections.values), state.isRunning && !state.hasStopped)
        }
        if let listener {
            if isRunning {
                reactor.interrupt(listener.descriptor, for: .read)
            } else {
                state.withLock { $0.listener = nil }
                listener.close()
            }
        }
        for connection in connections { connection.close(code: .goingAway, reason: "server shutting down") }
        guard isRunning else {
            reactor.shutdown()
            return
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let stopped = state.withLock { state in
                if state.hasStopped { return true }
                state.stopWaiters.append(continuation)
                return false
            }
            if stopped { continuation.resume() }
        }
    }

    private var isShuttingDown: Bool { state.withLock { $0.isShuttingDown } }

    private func acceptLoop(_ acceptor: AsyncSocket, work: ConnectionWork) async {
        while !isShuttingDown && !Task.isCancelled {
            let accepted: (Socket, SocketAddress)?
            do {
                accepted = try await acceptor.accept()
            } catch let error as SocketError {
                // EMFILE/ENFILE and friends: the pending connection stays in the backlog; back off instead of spinning.
                _ = error
                recorder.acceptErrors.add(1)
                try? await Task.sleep(for: .milliseconds(50))
                continue
            } catch {
                return  // cancelled, or the reactor stopped
            }
            guard let (socket, peer) = accepted else { continue }
            if recorder.connectionsOpen.load(ordering: .relaxed) >= configuration.maxConnections {
                recorder.connectionsRefused.add(1)
                socket.close()
                continue
            }
            recorder.connectionsOpen.add(1)
            recorder.connectionsTotal.add(1)
            if !work.offer(.accepted(socket, peer)) {
                socket.close()
                recorder.connectionsOpen.add(-1)
                return
            }
        }
    }

    /// Waits until every connection has ended, `limit` has passed, or the task is cancelled.
    private func waitForConnections(upTo limit: Duration) async {
        let deadline = ContinuousClock.now + limit
        while recorder.connectionsOpen.load(ordering: .relaxed) > 0 && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(5))
            if Task.isCancelled { return }
        }
    }

    /// Registers an upgraded connection; if the server is shutting down, it is told to go away at once.
    func register(_ connection: WSConnection) {
        let isShuttingDown = state.withLock { state in
            state.connections[connection.id] = connection
            return state.isShuttingDown
        }
        if isShuttingDown { connection.close(code: .goingAway, reason: "server shutting down") }
    }

    func unregister(_ connection: WSConnection) {
        _ = state.withLock { $0.connections.removeValue(forKey: connection.id) }
    }

    func makeConnectionID() -> UInt64 {
        state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
    }
}
