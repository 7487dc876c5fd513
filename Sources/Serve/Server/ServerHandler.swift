/// What ``ServerHandler/shouldUpgrade(_:peer:)`` decides about a valid WebSocket handshake.
public enum UpgradeDecision: Sendable {
    /// Switch protocols. `subprotocol` must be one the client offered (see ``WSHandshake/offeredSubprotocols(_:)``);
    /// `context` is handed to ``ServerHandler/connected(_:request:context:)`` (for example the authenticated session).
    case accept(subprotocol: String? = nil, context: (any Sendable)? = nil)
    /// Refuse with this response (for example 401 for a bad token, 403 for a foreign Origin); the connection closes.
    case reject(HTTPResponse)
}

/// The application side of ``WebSocketServer``: routes plain HTTP requests, vets upgrades and serves WebSockets.
public protocol ServerHandler: Sendable {
    /// Answers a plain HTTP request (one that asks for no WebSocket upgrade).
    ///
    /// The server reads only the request head: a request body is not read, and the connection is closed after
    /// the response (`Connection: close`).
    func respond(to request: HTTPRequestHead, peer: SocketAddress) async -> HTTPResponse

    /// Decides on an upgrade request; called only after ``WSHandshake/validate(_:)`` has accepted it.
    ///
    /// Check the Origin allowlist and the auth token here (STYLE.md §4).
    func shouldUpgrade(_ request: HTTPRequestHead, peer: SocketAddress) async -> UpgradeDecision

    /// Serves one open WebSocket connection.
    ///
    /// The call's lifetime is the connection's: iterate ``WSConnection/messages`` until it ends (the peer closed,
    /// the connection failed or the server shut down), and return. Returning while the connection is still open
    /// closes it with 1000 (normal closure). ``WSConnection`` may be stored and used from other tasks to send.
    func connected(_ connection: WSConnection, request: HTTPRequestHead, context: (any Sendable)?) async

    /// Serves an open WebSocket connection without a task of its own, if the handler can: return a receiver and the
    /// server calls it for each message from short-lived tasks, so an idle connection costs no task (about 4 KiB
    /// less). Return nil (the default) to be served by ``connected(_:request:context:)`` instead.
    ///
    /// Called once per connection, before any message is read; messages may be sent from here (a greeting).
    func receiver(for connection: WSConnection, request: HTTPRequestHead, context: (any Sendable)?) -> (any WSReceiver)?
}

extension ServerHandler {
    /// Serve every connection with ``connected(_:request:context:)``.
    public func receiver(
        for connection: WSConnection, request: HTTPRequestHead, context: (any Sendable)?
    ) -> (any WSReceiver)? {
        nil
    }
}
