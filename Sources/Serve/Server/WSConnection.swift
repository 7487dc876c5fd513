import Synchronization

/// One open WebSocket connection, as handed to ``ServerHandler/connected(_:request:context:)``.
///
/// Sending never blocks: a frame is written at once when the socket takes it, else it waits in the connection's
/// bounded outbound queue for a writer task that exists only while something is queued (see ``ServerConfiguration``
/// for the slow-consumer policy). Received messages are read from the socket on demand, by the task iterating
/// ``messages``. The object may be shared with other tasks, for example to broadcast events.
///
/// An idle connection served by a ``WSReceiver`` has no task at all (a reactor callback waits for its input), no
/// buffer and no writer; one served by ``ServerHandler/connected(_:request:context:)`` is that task, parked in a read
/// wait.
public final class WSConnection: Sendable, Identifiable {
    /// Why the connection stops without completing a closing handshake.
    enum StopReason: Sendable, Equatable {
        /// The outbound queue overflowed; close 1008 was queued.
        case slowConsumer
        /// The socket accepted nothing for the write stall timeout.
        case writeStalled
        /// A write failed (the peer is gone).
        case writeFailed
        /// The server stopped serving the connection (``abort()``).
        case serverStopped
    }

    /// State shared by the reader, the writer and the senders.
    struct Control: Sendable {
        var protocolState: WSConnectionState
        /// When the server's close frame was queued; the peer's answer is awaited until the close timeout.
        var closeStartedAt: ContinuousClock.Instant?
        var stopReason: StopReason?
        /// The socket is closed; the descriptor number may already belong to another connection.
        var isTornDown = false
    }

    /// A number unique within the server's lifetime.
    public let id: UInt64
    /// The client's address.
    public let peer: SocketAddress
    /// The upgrade request.
    public let request: HTTPRequestHead
    /// The negotiated subprotocol, if any.
    public let subprotocol: String?

    let io: AsyncSocket
    let configuration: ServerConfiguration
    let metrics: ServerMetricsRecorder
    let outbound: OutboundQueue
    let control: Mutex<Control>
    /// The read side, used by the one task that iterates ``messages`` (then by the connection's task), or by the
    /// pump task of the moment (``startPump(_:onEnd:)``).
    let reader: Mutex<ReaderState>

    init(
        id: UInt64, peer: SocketAddress, request: HTTPRequestHead, subprotocol: String?, io: AsyncSocket,
        configuration: ServerConfiguration, metrics: ServerMetricsRecorder, leftover: ArraySlice<UInt8> = []
    ) {
        self.id = id
        self.peer = peer
        self.request = request
        self.subprotocol = subprotocol
        self.io = io
        self.configuration = configuration
        self.metrics = metrics
        self.outbound = OutboundQueue(limit: configuration.maxQueuedBytes, socket: io.socket, metrics: metrics)
        self.control = Mutex(Control(protocolState: WSConnectionState(limits: configuration.webSocketLimits)))
        self.reader = Mutex(
            ReaderState(
                parser: WSFrameParser(limits: configuration.webSocketLimits), input: leftover,
                activityDeadline: .now + configuration.pingInterval))
    }

    /// The received messages; the sequence ends when the connection closes. Iterate it from one task.
    public var messages: WSMessageStream { WSMessageStream(connection: self) }

    /// Whether messages can still be sent: no close frame has been sent or received.
    public var isOpen: Bool {
        control.withLock {
            !$0.protocolState.isClosing && !$0.protocolState.isClosed && $0.stopReason == nil && !$0.isTornDown
        }
    }

    /// Bytes waiting in the outbound queue (or being written).
    public var queuedBytes: Int { outbound.queuedBytes }

    /// Queues a text message.
    /// - Returns: false if the connection is closing or closed, or the message overflowed the queue (the
    ///   connection is then being closed with 1008).
    @discardableResult
    public func send(text: String) -> Bool { send(.text(text)) }

    /// Queues a binary message; see ``send(text:)``.
    @discardableResult
    public func send(binary: [UInt8]) -> Bool { send(.binary(binary)) }

    /// Queues a message; see ``send(text:)``.
    @discardableResult
    public func send(_ message: WSMessage) -> Bool {
        let frame: WSFrame
        switch message {
        case .text(let text): frame = .text(text)
        case .binary(let bytes): frame = .binary(bytes)
        }
        return send(encoded: WSFrameEncoder.encode(frame))
    }

    /// Queues a text frame already encoded by ``WSFrameEncoder`` (the same bytes may go to many connections).
    @discardableResult
    func send(encodedText bytes: [UInt8]) -> Bool { send(encoded: bytes) }

    private func send(encoded bytes: [UInt8]) -> Bool {
        let sent = withControl { control, effects in
            guard !control.protocolState.isClosing, !control.protocolState.isClosed, control.stopReason == nil,
                !control.isTornDown
            else {
                return false
            }
            return apply(outbound.enqueue(bytes, isControl: false), &control, &effects)
        }
        if sent { metrics.messagesOut.add(1) }
        return sent
    }

    /// Starts the closing handshake: queues a close frame, then waits (up to the close timeout) for the peer's.
    ///
    /// Does nothing if a close frame was already sent or received.
    public func close(code: WSCloseCode = .normalClosure, reason: String = "") {
        let started = withControl { control, effects in
            guard !control.isTornDown else { return false }
            let actions = control.protocolState.close(code, reason: reason)
            _ = enqueue(actions, &control, &effects)
            return !actions.isEmpty
        }
        // Make the reader recompute its deadline (the close timeout is usually shorter than the idle one).
        if started { io.reactor.interrupt(io.socket.descriptor, for: .read) }
    }

    /// What must happen once the control lock is released.
    struct Effects {
        /// A frame was queued behind a full socket: start the writer.
        var startWriter = false
        /// A ``StopReason`` was set: wake the reader.
        var stop = false
    }

    /// Runs `body` with the control lock held, then starts the writer or wakes the reader as it asked.
    func withControl<T: Sendable>(_ body: (inout Control, inout Effects) -> T) -> T {
        var effects = Effects()
        let result = control.withLock { control in body(&control, &effects) }
        if effects.startWriter { startWriter() }
        if effects.stop { stopped() }
        return result
    }

    /// Handles the outcome of queueing a frame with the control lock held; true when it was written or queued.
    func apply(_ result: OutboundQueue.EnqueueResult, _ control: inout Control, _ effects: inout Effects) -> Bool {
        switch result {
        case .enqueued:
            return true
        case .enqueuedNeedsWriter:
            effects.startWriter = true
            return true
        case .finished:
            return false
        case .overflow:
            overflow(&control, &effects)
            return false
        case .failed:
            if control.stopReason == nil { control.stopReason = .writeFailed }
            effects.stop = true
            return false
        }
    }

    /// Applies the slow-consumer policy with the control lock held: drop queued data, queue close 1008.
    func overflow(_ control: inout Control, _ effects: inout Effects) {
        _ = control.protocolState.close(.policyViolation, reason: "slow consumer")
        control.closeStartedAt = control.closeStartedAt ?? .now
        control.stopReason = .slowConsumer
        effects.stop = true
        let final = WSFrameEncoder.encode(WSFrameEncoder.closeFrame(.policyViolation, reason: "slow consumer"))
        if outbound.abort(final: final) == .enqueuedNeedsWriter { effects.startWriter = true }
        metrics.slowConsumerDisconnects.add(1)
    }

    /// Wakes the reader after a ``StopReason`` was set, so that it ends the connection.
    func stopped() {
        io.reactor.interrupt(io.socket.descriptor, for: .read)
    }

    /// Starts a writer task for bytes the socket could not take at once; it ends when the queue is drained.
    func startWriter() {
        outbound.writerStarted(Task { await self.writeLoop() })
    }

    /// Performs the ``WSAction``s with the control lock held: frames are written or queued, messages are returned
    /// for delivery (outside the lock), and whether the connection must close is reported.
    func enqueue(_ actions: [WSAction], _ control: inout Control, _ effects: inout Effects) -> (
        deliveries: [WSMessage], closes: Bool
    ) {
        var deliveries: [WSMessage] = []
        var closes = false
        for action in actions {
            switch action {
            case .deliver(let message):
                deliveries.append(message)
            case .send(let frame):
                let isClose = frame.opcode == .close
                if isClose && control.closeStartedAt == nil { control.closeStartedAt = .now }
                // Close frames always fit; pongs count against the limit so a ping flood cannot grow the queue.
                let result = outbound.enqueue(WSFrameEncoder.encode(frame), isControl: isClose)
                if !apply(result, &control, &effects) && result != .finished { closes = true }
            case .closeConnection:
                closes = true
            }
        }
        return (deliveries, closes)
    }
}
