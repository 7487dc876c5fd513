/// What the protocol layer needs from a live client connection; the WebSocket server provides it.
public protocol ClientConnection: AnyObject, Sendable {
    /// A process-unique connection id, for logs and metrics.
    var connectionID: Int { get }
    /// Queues one text frame. Returns false when the connection is gone or was dropped as a slow consumer.
    @discardableResult
    func send(text: String) -> Bool
    /// Starts the close handshake with `code` (RFC 6455 close code) and `reason`.
    func close(code: UInt16, reason: String)
}
