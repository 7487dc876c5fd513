import Synchronization

/// One open WebSocket connection, as handed to ``ServerHandler/connected(_:request:context:)``.
///
/// Sending never blocks: frames go into the connection's bounded outbound queue, drained by its single writer
/// loop (see ``ServerConfiguration`` for the slow-consumer policy). Received messages arrive on ``messages``.
/// The object may be shared with other tasks, for example to broadcast events.
public final class WSConnection: Sendable, Identifiable {
    /// Why the connection stops without completing a closing handshake.
    enum StopReason: Sendable, Equatable {
        /// The outbound queue overflowed; close 1008 was queued.
        case slowConsumer
        /// The socket accepted nothing for the write stall timeout.
        case writeStalled
        /// A write failed (the peer is gone).
        case writeFailed
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
    let inbox: MessageInbox
    let outbound: OutboundQueue
    let control: Mutex<Control>

    init(
        id: UInt64, peer: SocketAddress, request: HTTPRequestHead, subprotocol: String?, io: AsyncSocket,
        configuration: ServerConfiguration, metrics: ServerMetricsRecorder
    ) {
        self.id = id
        self.peer = peer
        self.request = request
        self.subprotocol = subprotocol
        self.io = io
        self.configuration = configuration
        self.metrics = metrics
        self.inbox = MessageInbox(capacity: configuration.maxPendingMessages)
        self.outbound = OutboundQueue(limit: configuration.maxQueuedBytes)
        self.control = Mutex(Control(protocolState: WSConnectionState(limits: configuration.webSocketLimits)))
    }

    /// The received messages; the sequence ends when the connection closes. Iterate it from one task.
    public var messages: WSMessageStream { WSMessageStream(inbox: inbox) }

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
        let bytes = WSFrameEncoder.encode(frame)
        let (sent, overflowed) = control.withLock { control -> (Bool, Bool) in
            guard !control.protocolState.isClosing, !control.protocolState.isClosed, control.stopReason == nil,
                !control.isTornDown
            else {
                return (false, false)
            }
            switch outbound.enqueue(bytes, isControl: false) {
            case .enqueued: return (true, false)
            case .finished: return (false, false)
            case .overflow:
                overflow(&control)
                return (false, true)
            }
        }
        if sent { metrics.messagesOut.add(1) }
        if overflowed { stopped() }
        return sent
    }

    /// Starts the closing handshake: queues a close frame, then waits (up to the close timeout) for the peer's.
    ///
    /// Does nothing if a close frame was already sent or received.
    public func close(code: WSCloseCode = .normalClosure, reason: String = "") {
        let started = control.withLock { control in
            guard !control.isTornDown else { return false }
            let actions = control.protocolState.close(code, reason: reason)
            _ = enqueue(actions, &control)
            return !actions.isEmpty
        }
        // Make the reader recompute its deadline (the close timeout is usually shorter than the idle one).
        if started { io.reactor.interrupt(io.socket.descriptor, for: .read) }
    }

    /// Applies the slow-consumer policy with the control lock held: drop queued data, queue close 1008.
    func overflow(_ control: inout Control) {
        _ = control.protocolState.close(.policyViolation, reason: "slow consumer")
        control.closeStartedAt = control.closeStartedAt ?? .now
        control.stopReason = .slowConsumer
        outbound.abort(
            final: WSFrameEncoder.encode(WSFrameEncoder.closeFrame(.policyViolation, reason: "slow consumer")))
        metrics.slowConsumerDisconnects.add(1)
    }

    /// Wakes the reader and releases the handler after a ``StopReason`` was set.
    func stopped() {
        inbox.finish()
        io.reactor.interrupt(io.socket.descriptor, for: .read)
    }

    /// Performs the ``WSAction``s with the control lock held: frames are queued, messages are returned for
    /// delivery (outside the lock), and whether the connection must close is reported.
    func enqueue(_ actions: [WSAction], _ control: inout Control) -> (deliveries: [WSMessage], closes: Bool) {
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
                if outbound.enqueue(WSFrameEncoder.encode(frame), isControl: isClose) == .overflow {
                    overflow(&control)
                    closes = true
                }
            case .closeConnection:
                closes = true
            }
        }
        return (deliveries, closes)
    }
}
