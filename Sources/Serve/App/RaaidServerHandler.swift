import Memory
import Phases
import Synchronization

/// Connects the WebSocket server to raaid's protocol: HTTP routes (`/`, `/healthz`, `/readyz`, `/metrics`,
/// `/echo` with `--echo`), upgrade checks (Host, Origin, token, path) and one ``ServeApp`` context per connection.
public final class RaaidServerHandler: ServerHandler {
    let app: ServeApp
    let log: ServerLog
    /// Ready once the listener is bound; not ready while draining.
    public let readiness = Readiness()
    private let binding = Mutex<(policy: AccessPolicy, transportMetrics: @Sendable () -> String)?>(nil)

    /// Whether the server is ready (memory open, listener up) or draining.
    public final class Readiness: Sendable {
        private let state = Mutex(false)
        public init() {}
        public var isReady: Bool { state.withLock { $0 } }
        public func set(_ ready: Bool) { state.withLock { $0 = ready } }
    }

    /// Creates the handler; call ``didBind(port:transportMetrics:)`` once the listener has its port.
    public init(app: ServeApp, log: ServerLog) {
        self.app = app
        self.log = log
    }

    /// Completes the setup after `bind`: the port fixes the allowed Host and Origin values, and
    /// `transportMetrics` (the server's own counters as Prometheus text) is appended to /metrics.
    public func didBind(port: Int, transportMetrics: @escaping @Sendable () -> String) {
        let configuration = app.configuration
        let policy = AccessPolicy(
            token: configuration.token, host: configuration.host, port: port, extraHosts: configuration.allowedHosts,
            extraOrigins: configuration.allowedOrigins)
        binding.withLock { $0 = (policy, transportMetrics) }
        readiness.set(true)
    }

    private var policy: AccessPolicy {
        binding.withLock { $0?.policy }
            ?? AccessPolicy(token: app.configuration.token, host: "0.0.0.0", port: 0, extraHosts: [], extraOrigins: [])
    }

    private var transportMetrics: String {
        let render = binding.withLock { $0?.transportMetrics }
        return render?() ?? ""
    }

    public func respond(to request: HTTPRequestHead, peer: SocketAddress) async -> HTTPResponse {
        if let refusal = policy.checkHost(request.header("Host")) {
            return refuse(refusal, request: request, peer: peer)
        }
        switch (request.method, request.path) {
        case ("GET", "/healthz"), ("HEAD", "/healthz"):
            return .json(200, #"{"status":"ok"}"#)
        case ("GET", "/readyz"), ("HEAD", "/readyz"):
            return readiness.isReady ? .json(200, #"{"status":"ready"}"#) : .json(503, #"{"status":"not_ready"}"#)
        case ("GET", "/metrics"):
            if let refusal = policy.checkToken(authorization: request.header("Authorization"), subprotocols: []) {
                return refuse(refusal, request: request, peer: peer)
            }
            let body = app.renderMetrics() + transportMetrics
            return HTTPResponse(
                status: 200, headers: [("Content-Type", "text/plain; version=0.0.4; charset=utf-8")], body: Array(body.utf8))
        case ("GET", "/"), ("GET", "/index.html"):
            return HTTPResponse(
                status: 200,
                headers: [
                    ("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store"),
                    ("Content-Security-Policy", "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'"),
                    ("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "no-referrer"),
                ],
                body: Array(WebPage.html.utf8))
        case (_, "/healthz"), (_, "/readyz"), (_, "/metrics"), (_, "/"):
            return HTTPResponse(status: 405, headers: [("Allow", "GET")], body: Array("method not allowed\n".utf8))
        default:
            return .text(404, "not found: \(request.path)\n")
        }
    }

    public func shouldUpgrade(_ request: HTTPRequestHead, peer: SocketAddress) async -> UpgradeDecision {
        if let refusal = policy.checkHost(request.header("Host")) { return .reject(refuse(refusal, request: request, peer: peer)) }
        if request.path == "/echo" && app.configuration.isEchoEnabled { return .accept(subprotocol: nil, context: EchoMarker()) }
        guard request.path == "/ws" || request.path == "/" else {
            return .reject(.text(404, "no WebSocket endpoint at \(request.path); connect to /ws\n"))
        }
        if let refusal = policy.checkOrigin(request.header("Origin")) { return .reject(refuse(refusal, request: request, peer: peer)) }
        let offered = WSHandshake.offeredSubprotocols(request)
        if let refusal = policy.checkToken(authorization: request.header("Authorization"), subprotocols: offered) {
            return .reject(refuse(refusal, request: request, peer: peer))
        }
        let resume = AccessPolicy.resumeToken(header: request.header("X-Raaid-Session"), subprotocols: offered)
        let subprotocol = offered.contains(AccessPolicy.subprotocol) ? AccessPolicy.subprotocol : nil
        if subprotocol == nil && offered.contains(where: { $0.hasPrefix(AccessPolicy.tokenPrefix) }) {
            // A browser that offered its token must also offer raaid.v1, or it would fail the handshake itself.
            return .reject(.text(400, "offer the subprotocol raaid.v1 next to raaid.token.<token>\n"))
        }
        return .accept(subprotocol: subprotocol, context: ResumeRequest(token: resume))
    }

    public func connected(_ connection: WSConnection, request: HTTPRequestHead, context: (any Sendable)?) async {
        guard let receiver = receiver(for: connection, request: request, context: context) else { return }
        for await message in connection.messages { receiver.received(message) }
        receiver.closed()
    }

    /// Every WebSocket is served without a task of its own (an idle client costs no task).
    public func receiver(
        for connection: WSConnection, request: HTTPRequestHead, context: (any Sendable)?
    ) -> (any WSReceiver)? {
        if context is EchoMarker { return EchoHandler().receiver(for: connection, request: request, context: nil) }
        let client = WSClient(connection: connection, metrics: app.metrics)
        return AppReceiver(app: app, context: app.open(client, resumeToken: (context as? ResumeRequest)?.token))
    }

    private func refuse(_ refusal: AccessPolicy.Refusal, request: HTTPRequestHead, peer: SocketAddress) -> HTTPResponse {
        app.recordRefusal(refusal.reason)
        log.warning(
            "request refused",
            ["reason": refusal.reason, "status": String(refusal.status), "path": request.path, "peer": "\(peer)"])
        var response = HTTPResponse.json(
            refusal.status,
            JSONValue.object(["error": .string(refusal.reason), "message": .string(refusal.message)]).serialized())
        if refusal.status == 401 { response.headers.append(("WWW-Authenticate", "Bearer")) }
        return response
    }

    private struct EchoMarker: Sendable {}

    /// `/ws`: raaid's protocol.
    private struct AppReceiver: WSReceiver {
        let app: ServeApp
        let context: ServeApp.Context

        func received(_ message: WSMessage) {
            switch message {
            case .text(let text): app.receive(text: text, from: context)
            case .binary: app.receiveBinary(from: context)
            }
        }

        func closed() { app.close(context) }
    }
    private struct ResumeRequest: Sendable { var token: String? }
}

/// Adapts a ``WSConnection`` to the protocol layer and counts event frames sent.
final class WSClient: ClientConnection {
    let connection: WSConnection
    let metrics: AppMetrics

    init(connection: WSConnection, metrics: AppMetrics) {
        self.connection = connection
        self.metrics = metrics
    }

    var connectionID: Int { Int(truncatingIfNeeded: connection.id) }

    func send(text: String) -> Bool {
        // Events start with their envelope ({"v":1,"seq":…); hello, ack and error replies do not.
        if text.hasPrefix(#"{"v":1,"seq":"#) { metrics.eventsSent(1) }
        return connection.send(text: text)
    }

    func send(prepared: PreparedText) -> Bool {
        if prepared.isEvent { metrics.eventsSent(1) }
        return connection.send(encodedText: prepared.frame)
    }

    func close(code: UInt16, reason: String) {
        connection.close(code: WSCloseCode(rawValue: code), reason: reason)
    }
}
