/// The `raaid serve` module: a WebSocket and HTTP/1.1 server written on the toolchain's sockets.
public enum Serve {
    /// The protocol version announced in `hello`.
    public static let protocolVersion = 1
}
