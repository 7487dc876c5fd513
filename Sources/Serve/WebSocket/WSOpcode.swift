/// A WebSocket frame opcode (RFC 6455 §5.2, §11.8).
///
/// Only the six opcodes defined by RFC 6455 have names. The parser rejects the reserved values 3–7 (non-control)
/// and 0xB–0xF (control), so they never reach ``WSConnectionState``.
public struct WSOpcode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The 4-bit value as it appears in the low nibble of the first header byte.
    public var rawValue: UInt8

    /// Creates an opcode from its 4-bit wire value.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// `0x0`: continues a fragmented message.
    public static let continuation = WSOpcode(rawValue: 0x0)
    /// `0x1`: the first (or only) frame of a UTF-8 text message.
    public static let text = WSOpcode(rawValue: 0x1)
    /// `0x2`: the first (or only) frame of a binary message.
    public static let binary = WSOpcode(rawValue: 0x2)
    /// `0x8`: starts or answers the closing handshake.
    public static let close = WSOpcode(rawValue: 0x8)
    /// `0x9`: a keep-alive probe; the peer answers with a pong carrying the same payload.
    public static let ping = WSOpcode(rawValue: 0x9)
    /// `0xA`: the answer to a ping, or an unsolicited heartbeat.
    public static let pong = WSOpcode(rawValue: 0xA)

    /// Whether this is a control opcode: the most significant bit of the nibble is set (RFC 6455 §5.5).
    public var isControl: Bool { rawValue & 0x8 != 0 }

    /// Whether RFC 6455 defines this opcode; the others are reserved for future use (§5.2).
    public var isDefined: Bool {
        switch self {
        case .continuation, .text, .binary, .close, .ping, .pong: true
        default: false
        }
    }

    /// The opcode's name, or its hexadecimal value when reserved.
    public var description: String {
        switch self {
        case .continuation: "continuation"
        case .text: "text"
        case .binary: "binary"
        case .close: "close"
        case .ping: "ping"
        case .pong: "pong"
        default: "reserved opcode 0x" + String(rawValue, radix: 16, uppercase: true)
        }
    }
}
