/// The settings of a ``WebSocketServer``: address, protocol limits, timeouts and backpressure.
///
/// Timeout policy (all configurable; tests use short values):
/// - ``handshakeTimeout``: the whole HTTP request head must arrive within this time of the accept, or the
///   connection is closed without a response.
/// - ``pingInterval`` / ``pongTimeout``: after `pingInterval` with no byte from the peer, the server sends a ping;
///   if still nothing arrives within `pongTimeout`, it sends close 1001 "ping timeout" and closes the socket.
/// - ``closeTimeout``: after the server sends a close frame, the peer has this long to answer with its own before
///   the socket is closed anyway; it also bounds the lingering read after the server's last frame.
///
/// Backpressure policy (slow consumers): outbound frames are queued per connection without blocking the sender.
/// - If the bytes queued but not yet written exceed ``maxQueuedBytes``, the queued data frames are discarded, close
///   1008 "slow consumer" is queued behind the frame being written, and the connection is closed once that is
///   flushed (or after ``writeStallTimeout``).
/// - If the socket accepts no byte for ``writeStallTimeout`` while data is queued, the socket is closed at once: a
///   close frame cannot get through a stalled socket.
/// Control frames (pong, close) are never refused by the byte limit.
public struct ServerConfiguration: Sendable {
    /// Where to listen; port 0 picks a free port (read it back from ``WebSocketServer/bind()``).
    public var address: SocketAddress
    /// The `listen(2)` backlog.
    public var backlog: Int32
    /// The most simultaneous TCP connections; more are accepted and closed at once.
    public var maxConnections: Int
    /// Limits on the HTTP request head.
    public var httpLimits: HTTPLimits
    /// Limits on WebSocket frames and messages.
    public var webSocketLimits: WSLimits
    /// Time allowed for the HTTP request head.
    public var handshakeTimeout: Duration
    /// Silence after which the server pings.
    public var pingInterval: Duration
    /// Time allowed for any byte (normally the pong) after a ping.
    public var pongTimeout: Duration
    /// Time allowed for the peer's close frame after the server's.
    public var closeTimeout: Duration
    /// Bytes that may wait in one connection's outbound queue.
    public var maxQueuedBytes: Int
    /// Time a write may make no progress.
    public var writeStallTimeout: Duration
    /// Received messages that may wait for the handler before the server stops reading from the socket.
    public var maxPendingMessages: Int

    /// Creates a configuration; the defaults suit raaid's local agent traffic.
    public init(
        address: SocketAddress = .loopback(port: 0),
        backlog: Int32 = 1024,
        maxConnections: Int = 25_000,
        httpLimits: HTTPLimits = HTTPLimits(),
        webSocketLimits: WSLimits = WSLimits(),
        handshakeTimeout: Duration = .seconds(10),
        pingInterval: Duration = .seconds(30),
        pongTimeout: Duration = .seconds(10),
        closeTimeout: Duration = .seconds(5),
        maxQueuedBytes: Int = 8 << 20,
        writeStallTimeout: Duration = .seconds(30),
        maxPendingMessages: Int = 64
    ) {
        self.address = address
        self.backlog = backlog
        self.maxConnections = maxConnections
        self.httpLimits = httpLimits
        self.webSocketLimits = webSocketLimits
        self.handshakeTimeout = handshakeTimeout
        self.pingInterval = pingInterval
        self.pongTimeout = pongTimeout
        self.closeTimeout = closeTimeout
        self.maxQueuedBytes = maxQueuedBytes
        self.writeStallTimeout = writeStallTimeout
        self.maxPendingMessages = maxPendingMessages
    }
}
