/// A violation of RFC 6455 (or of ``WSLimits``) by the peer, with the close code to answer it with.
public struct WSProtocolError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The status code to send in the close frame: usually 1002, 1007 or 1009.
    public var closeCode: WSCloseCode
    /// A human-readable explanation for logs. It is not sent to the peer.
    public var reason: String

    /// Creates an error.
    public init(closeCode: WSCloseCode, reason: String) {
        self.closeCode = closeCode
        self.reason = reason
    }

    /// A ``WSCloseCode/protocolError`` (1002).
    static func protocolError(_ reason: String) -> WSProtocolError {
        WSProtocolError(closeCode: .protocolError, reason: reason)
    }

    /// A ``WSCloseCode/messageTooBig`` (1009).
    static func tooBig(_ what: String, size: Int, limit: Int) -> WSProtocolError {
        WSProtocolError(closeCode: .messageTooBig, reason: "\(what) of \(size) bytes exceeds \(limit)")
    }

    /// ``WSCloseCode/invalidFramePayloadData`` (1007) for bad UTF-8.
    static func invalidUTF8(in what: String) -> WSProtocolError {
        WSProtocolError(closeCode: .invalidFramePayloadData, reason: "invalid UTF-8 in \(what)")
    }

    /// The close code and the reason, for logs.
    public var description: String { "WebSocket error \(closeCode.rawValue): \(reason)" }
}
