/// A complete, reassembled WebSocket data message.
public enum WSMessage: Sendable, Equatable {
    /// A text message, already validated as UTF-8.
    case text(String)
    /// A binary message.
    case binary([UInt8])
}
