/// A close status code (RFC 6455 §7.4).
///
/// Codes are extensible, so any `UInt16` can be represented; ``isValidOnWire(_:)`` says which ones a peer may
/// actually send.
public struct WSCloseCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The code as carried big-endian in the first two bytes of a close payload.
    public var rawValue: UInt16

    /// Creates a close code from its numeric value.
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// 1000: the purpose of the connection has been fulfilled.
    public static let normalClosure = WSCloseCode(rawValue: 1000)
    /// 1001: the endpoint is going away (server shutdown, browser navigating away, ping timeout).
    public static let goingAway = WSCloseCode(rawValue: 1001)
    /// 1002: the peer violated the protocol.
    public static let protocolError = WSCloseCode(rawValue: 1002)
    /// 1003: the endpoint cannot accept this type of data.
    public static let unsupportedData = WSCloseCode(rawValue: 1003)
    /// 1005: the close frame carried no status code. Reported locally only; never sent on the wire (§7.4.1).
    public static let noStatusReceived = WSCloseCode(rawValue: 1005)
    /// 1007: a message's data was inconsistent with its type, such as invalid UTF-8 in a text message.
    public static let invalidFramePayloadData = WSCloseCode(rawValue: 1007)
    /// 1008: a message violated the endpoint's policy.
    public static let policyViolation = WSCloseCode(rawValue: 1008)
    /// 1009: a frame or message is too big to process.
    public static let messageTooBig = WSCloseCode(rawValue: 1009)
    /// 1011: the server met an unexpected condition.
    public static let internalServerError = WSCloseCode(rawValue: 1011)
    /// 1013: the server is overloaded; the client may reconnect later.
    public static let tryAgainLater = WSCloseCode(rawValue: 1013)

    /// Whether a peer may send `code` in a close frame.
    ///
    /// Accepts 1000–1003, 1007–1014 (IANA-registered) and 3000–4999 (libraries and applications). Rejects codes
    /// below 1000, the reserved 1004, the local-only 1005, 1006 and 1015, the unassigned 1016–2999 and anything
    /// above 4999 (RFC 6455 §7.4.1, §7.4.2, §11.7).
    public static func isValidOnWire(_ code: UInt16) -> Bool {
        switch code {
        case 1000...1003, 1007...1014, 3000...4999: true
        default: false
        }
    }

    /// The numeric code.
    public var description: String { String(rawValue) }
}
