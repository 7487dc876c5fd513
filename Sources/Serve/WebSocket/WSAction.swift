/// Something the asynchronous connection must do, as decided by ``WSConnectionState``.
///
/// Actions are returned in the order they must be performed: for example a close frame is sent *before* the
/// connection is closed.
public enum WSAction: Sendable, Equatable {
    /// Hand a complete message to the application.
    case deliver(WSMessage)
    /// Encode this frame with ``WSFrameEncoder`` and write it.
    case send(WSFrame)
    /// Close the TCP connection (after writing any frames queued before this action).
    case closeConnection
}
