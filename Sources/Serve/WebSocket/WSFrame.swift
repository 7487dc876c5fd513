/// One WebSocket frame, unmasked (RFC 6455 §5.2).
///
/// The masking key is a property of the wire encoding, not of the frame: ``WSFrameParser`` removes it and
/// ``WSFrameEncoder`` never adds one, because a server must not mask (§5.1). RSV bits are not modelled since raaid
/// negotiates no extensions and the parser rejects frames that set them.
public struct WSFrame: Sendable, Equatable {
    /// Whether this is the final fragment of its message. Control frames always have it set (§5.5).
    public var fin: Bool
    /// What the payload is.
    public var opcode: WSOpcode
    /// The application data, already unmasked.
    public var payload: [UInt8]

    /// Creates a frame.
    public init(fin: Bool = true, opcode: WSOpcode, payload: [UInt8]) {
        self.fin = fin
        self.opcode = opcode
        self.payload = payload
    }

    /// A single-frame text message.
    public static func text(_ string: String) -> WSFrame {
        WSFrame(opcode: .text, payload: Array(string.utf8))
    }

    /// A single-frame binary message.
    public static func binary(_ bytes: [UInt8]) -> WSFrame {
        WSFrame(opcode: .binary, payload: bytes)
    }
}
