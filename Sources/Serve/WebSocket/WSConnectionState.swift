/// The protocol state of one server-side WebSocket connection: message reassembly, control frames and the
/// closing handshake (RFC 6455 §5.4, §5.5, §7).
///
/// This is a pure state machine in the swift-websocket style. The asynchronous connection feeds it frames from
/// ``WSFrameParser`` and performs the returned ``WSAction``s in order; it never interprets frames itself.
///
/// Any violation by the peer produces a close frame with the matching code (1002, 1007 or 1009) followed by
/// ``WSAction/closeConnection``. The error that caused it is kept in ``failure`` for logging.
public struct WSConnectionState: Sendable {
    /// Where the closing handshake stands.
    enum Phase: Sendable {
        /// Data flows both ways.
        case open
        /// The server sent a close frame and waits for the peer's (§7.1.2).
        case closing
        /// The handshake is over or the connection failed; nothing more is sent.
        case closed
    }

    /// A fragmented message being reassembled (§5.4).
    struct Assembly: Sendable {
        var isText: Bool
        var bytes: [UInt8]
        var fragments: Int
        var utf8: UTF8Validator
    }

    /// The reassembly limits.
    public let limits: WSLimits
    var phase: Phase = .open
    var assembly: Assembly?
    /// The payload of the last ping sent by ``sendPing()`` that has not been answered yet.
    var unansweredPing: [UInt8]?
    var pingCount: UInt32 = 0

    /// The protocol error that failed the connection, if any.
    public internal(set) var failure: WSProtocolError?
    /// The close code the peer sent, once its close frame has been received (1005 if it carried none).
    public internal(set) var peerCloseCode: WSCloseCode?

    /// Creates the state of a freshly upgraded connection.
    public init(limits: WSLimits = WSLimits()) {
        self.limits = limits
    }

    /// Whether the server has sent a close frame and is waiting for the peer's.
    public var isClosing: Bool {
        if case .closing = phase { true } else { false }
    }

    /// Whether the connection is finished: no more frames will be sent and the socket should be closed.
    public var isClosed: Bool {
        if case .closed = phase { true } else { false }
    }

    /// Processes one frame from the peer.
    /// - Returns: What to do, in order. Empty when the frame needs no action (a fragment, a pong).
    public mutating func received(_ frame: WSFrame) -> [WSAction] {
        switch phase {
        case .closed:
            return []
        case .closing:
            // §7.1.2: after sending a close frame, wait for the peer's and ignore everything else.
            guard frame.opcode == .close else { return [] }
            peerCloseCode = Self.statusCode(in: frame.payload)
            phase = .closed
            return [.closeConnection]
        case .open:
            do throws(WSProtocolError) {
                return try receivedWhileOpen(frame)
            } catch {
                return failed(error)
            }
        }
    }

    /// Fails the connection after a ``WSFrameParser`` error: sends a close frame with the error's code, then closes.
    public mutating func failed(_ error: WSProtocolError) -> [WSAction] {
        switch phase {
        case .closed:
            return []
        case .closing:
            phase = .closed
            return [.closeConnection]
        case .open:
            failure = error
            phase = .closed
            assembly = nil
            return [.send(WSFrameEncoder.closeFrame(error.closeCode)), .closeConnection]
        }
    }

    /// Starts a server-initiated close: sends one close frame, then waits for the peer's close frame, at which
    /// point ``received(_:)`` returns ``WSAction/closeConnection``.
    ///
    /// The caller should also close the socket after a timeout in case the peer never answers.
    public mutating func close(_ code: WSCloseCode, reason: String) -> [WSAction] {
        guard case .open = phase else { return [] }
        phase = .closing
        assembly = nil
        return [.send(WSFrameEncoder.closeFrame(code, reason: reason))]
    }

    /// Sends a keep-alive ping; call it at a fixed interval.
    ///
    /// If the previous ping has not been answered by a pong with the same payload, the peer is presumed dead: the
    /// connection is closed with ``WSCloseCode/goingAway`` instead.
    public mutating func sendPing() -> [WSAction] {
        guard case .open = phase else { return [] }
        if unansweredPing != nil {
            phase = .closed
            assembly = nil
            return [.send(WSFrameEncoder.closeFrame(.goingAway, reason: "ping timeout")), .closeConnection]
        }
        pingCount &+= 1
        let payload = withUnsafeBytes(of: pingCount.bigEndian) { Array($0) }
        unansweredPing = payload
        return [.send(WSFrame(opcode: .ping, payload: payload))]
    }
}
