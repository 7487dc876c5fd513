/// What the protocol layer needs from a live client connection; the WebSocket server provides it.
public protocol ClientConnection: AnyObject, Sendable {
    /// A process-unique connection id, for logs and metrics.
    var connectionID: Int { get }
    /// Queues one text frame. Returns false when the connection is gone or was dropped as a slow consumer.
    @discardableResult
    func send(text: String) -> Bool
    /// Queues text prepared once for many connections (a broadcast event); see ``PreparedText``.
    @discardableResult
    func send(prepared: PreparedText) -> Bool
    /// Starts the close handshake with `code` (RFC 6455 close code) and `reason`.
    func close(code: UInt16, reason: String)
}

extension ClientConnection {
    /// Sends the text as is.
    @discardableResult
    public func send(prepared: PreparedText) -> Bool { send(text: prepared.text) }
}

/// A text message encoded once (as a WebSocket frame) for sending to many connections: a broadcast to 1,000
/// subscribers then costs 1,000 writes of the same bytes instead of 1,000 encodings.
public struct PreparedText: Sendable {
    /// The message.
    public let text: String
    /// The unmasked server frame carrying it.
    let frame: [UInt8]
    /// Whether it is a raaid event (they start with their envelope), for the events-sent metric.
    let isEvent: Bool

    /// Encodes `text`.
    public init(_ text: String) {
        self.text = text
        self.frame = WSFrameEncoder.encode(.text(text))
        self.isEvent = text.hasPrefix(#"{"v":1,"seq":"#)
    }
}
