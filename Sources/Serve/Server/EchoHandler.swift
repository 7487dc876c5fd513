/// A ``ServerHandler`` that echoes every text and binary message on one path, for conformance testing
/// (Autobahn|Testsuite) and smoke tests. Other paths get 404; plain `GET /` gets 200.
public struct EchoHandler: ServerHandler {
    /// The path that accepts WebSocket upgrades.
    public var path: String

    /// How connections are served: with a ``WSReceiver`` (no task while idle; the default) or by a task iterating
    /// ``WSConnection/messages``. Both must behave the same; tests run each.
    public enum Mode: Sendable, CaseIterable {
        case receiver
        case task
    }

    /// How connections are served.
    public var mode: Mode

    /// Creates an echo handler for `path`.
    public init(path: String = "/echo", mode: Mode = .receiver) {
        self.path = path
        self.mode = mode
    }

    /// Limits large enough for Autobahn section 9: 16 MiB frames and messages, 131,072 fragments.
    ///
    /// Cases 9.3.1 and 9.4.1 send 4 MiB in 64-byte fragments *plus an empty final frame*: 65,537 frames.
    public static let conformanceLimits = WSLimits(
        maxFrameSize: 16 << 20, maxMessageSize: 16 << 20, maxFragments: 1 << 17)

    /// A configuration for conformance runs on `address`: ``conformanceLimits`` and a 64 MiB outbound queue, so
    /// that echoing the largest messages never trips the slow-consumer policy.
    public static func conformanceConfiguration(address: SocketAddress) -> ServerConfiguration {
        ServerConfiguration(
            address: address, webSocketLimits: conformanceLimits, maxQueuedBytes: 64 << 20,
            maxPendingMessages: 16)
    }

    public func respond(to request: HTTPRequestHead, peer: SocketAddress) async -> HTTPResponse {
        request.path == "/" ? .text(200, "raaid echo server\n") : .text(404, "not found\n")
    }

    public func shouldUpgrade(_ request: HTTPRequestHead, peer: SocketAddress) async -> UpgradeDecision {
        request.path == path ? .accept() : .reject(.text(404, "not found\n"))
    }

    public func connected(_ connection: WSConnection, request: HTTPRequestHead, context: (any Sendable)?) async {
        for await message in connection.messages {
            connection.send(message)
        }
    }

    public func receiver(
        for connection: WSConnection, request: HTTPRequestHead, context: (any Sendable)?
    ) -> (any WSReceiver)? {
        mode == .receiver ? Echo(connection: connection) : nil
    }

    private struct Echo: WSReceiver {
        let connection: WSConnection
        func received(_ message: WSMessage) { connection.send(message) }
        func closed() {}
    }
}
