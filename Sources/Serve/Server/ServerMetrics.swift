/// A snapshot of a ``WebSocketServer``'s counters, for a `/metrics` endpoint or logs.
public struct ServerMetrics: Sendable, Equatable {
    /// TCP connections currently open (HTTP and WebSocket).
    public var connectionsOpen = 0
    /// TCP connections accepted since start.
    public var connectionsTotal = 0
    /// Connections closed at once because ``ServerConfiguration/maxConnections`` was reached.
    public var connectionsRefused = 0
    /// WebSocket connections currently open.
    public var webSocketsOpen = 0
    /// WebSocket upgrades completed since start.
    public var webSocketsTotal = 0
    /// Plain HTTP requests answered.
    public var httpRequests = 0
    /// Requests refused during the handshake: malformed heads, invalid upgrades and handler rejections.
    public var handshakesRejected = 0
    /// Connections closed because the request head did not arrive in time.
    public var handshakeTimeouts = 0
    /// Connections failed by a peer's protocol violation, keyed by the close code sent (1002, 1007, 1009…).
    public var framesRejected: [UInt16: Int] = [:]
    /// Data messages received from clients.
    public var messagesIn = 0
    /// Data messages queued to clients.
    public var messagesOut = 0
    /// Bytes read from sockets.
    public var bytesIn = 0
    /// Bytes written to sockets.
    public var bytesOut = 0
    /// Connections dropped by the backpressure policy (queue overflow or stalled write).
    public var slowConsumerDisconnects = 0
    /// Connections closed because a ping went unanswered.
    public var pingTimeouts = 0
    /// `accept(2)` failures (for example `EMFILE`).
    public var acceptErrors = 0

    /// Creates an all-zero snapshot.
    public init() {}

    /// The counters in the Prometheus text exposition format, each name prefixed with `prefix`.
    public func prometheusText(prefix: String = "raaid_serve_") -> String {
        var lines: [String] = []
        func add(_ name: String, _ type: String, _ help: String, _ value: Int, labels: String = "") {
            if labels.isEmpty || !lines.contains(where: { $0.hasPrefix("# TYPE \(prefix)\(name) ") }) {
                lines.append("# HELP \(prefix)\(name) \(help)")
                lines.append("# TYPE \(prefix)\(name) \(type)")
            }
            lines.append("\(prefix)\(name)\(labels) \(value)")
        }
        add("connections_open", "gauge", "Open TCP connections.", connectionsOpen)
        add("connections_total", "counter", "Accepted TCP connections.", connectionsTotal)
        add("connections_refused_total", "counter", "Connections refused over the limit.", connectionsRefused)
        add("websockets_open", "gauge", "Open WebSocket connections.", webSocketsOpen)
        add("websockets_total", "counter", "Completed WebSocket upgrades.", webSocketsTotal)
        add("http_requests_total", "counter", "Plain HTTP requests answered.", httpRequests)
        add("handshakes_rejected_total", "counter", "Rejected handshakes.", handshakesRejected)
        add("handshake_timeouts_total", "counter", "Request heads not received in time.", handshakeTimeouts)
        for code in framesRejected.keys.sorted() {
            add(
                "frames_rejected_total", "counter", "Connections failed by a protocol violation, by close code.",
                framesRejected[code] ?? 0, labels: "{code=\"\(code)\"}")
        }
        add("messages_in_total", "counter", "Data messages received.", messagesIn)
        add("messages_out_total", "counter", "Data messages sent.", messagesOut)
        add("bytes_in_total", "counter", "Bytes read from sockets.", bytesIn)
        add("bytes_out_total", "counter", "Bytes written to sockets.", bytesOut)
        add(
            "slow_consumer_disconnects_total", "counter", "Connections dropped by backpressure.",
            slowConsumerDisconnects)
        add("ping_timeouts_total", "counter", "Connections closed for an unanswered ping.", pingTimeouts)
        add("accept_errors_total", "counter", "accept(2) failures.", acceptErrors)
        return lines.joined(separator: "\n") + "\n"
    }
}
