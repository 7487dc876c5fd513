import Testing

@testable import Serve

@Suite struct WSHandshakeTests {
    static let key = "dGhlIHNhbXBsZSBub25jZQ=="

    static func request(
        method: String = "GET", version: String = "HTTP/1.1", dropping: Set<String> = [],
        adding extra: [(name: String, value: String)] = []
    ) -> HTTPRequestHead {
        let base: [(name: String, value: String)] = [
            ("Host", "127.0.0.1:8765"), ("Upgrade", "websocket"), ("Connection", "Upgrade"),
            ("Sec-WebSocket-Key", key), ("Sec-WebSocket-Version", "13"),
        ]
        return HTTPRequestHead(
            method: method, target: "/ws", version: version,
            headers: base.filter { !dropping.contains($0.name) } + extra)
    }

    private func rejection(_ request: HTTPRequestHead) -> HTTPResponse? {
        if case .failure(let response) = WSHandshake.validate(request) { return response }
        return nil
    }

    private func body(_ response: HTTPResponse?) -> String { String(decoding: response?.body ?? [], as: UTF8.self) }

    @Test func acceptValue_rfcExample() {
        #expect(WSHandshake.acceptValue(for: Self.key) == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    }

    @Test func validate_rfcRequest_returnsKey() {
        #expect(WSHandshake.validate(Self.request()) == .success(Self.key))
    }

    @Test func validate_tokensAreCaseInsensitiveLists() {
        let request = HTTPRequestHead(
            method: "GET", target: "/", version: "HTTP/1.1",
            headers: [
                ("host", "x"), ("upgrade", "h2c, WebSocket"), ("connection", "keep-alive"), ("Connection", "UPGRADE"),
                ("sec-websocket-key", " \(Self.key) "), ("SEC-WEBSOCKET-VERSION", "13"),
            ])
        #expect(WSHandshake.validate(request) == .success(Self.key))
    }

    @Test func validate_http2Version_isAccepted() {
        #expect(WSHandshake.validate(Self.request(version: "HTTP/1.2")) == .success(Self.key))
    }

    @Test func response_rfcExample_serializedExactly() {
        let bytes = WSHandshake.response(key: Self.key, subprotocol: nil).serialized()
        #expect(
            String(decoding: bytes, as: UTF8.self)
                == "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n")
    }

    @Test func response_withSubprotocol() {
        let response = WSHandshake.response(key: Self.key, subprotocol: "raaid.v1")
        #expect(response.status == 101)
        #expect(response.headers.last.map { "\($0.0): \($0.1)" } == "Sec-WebSocket-Protocol: raaid.v1")
    }

    @Test func missingKey_400() {
        let response = rejection(Self.request(dropping: ["Sec-WebSocket-Key"]))
        #expect(response?.status == 400)
        #expect(body(response) == "missing Sec-WebSocket-Key header\n")
    }

    @Test func duplicateKey_400() {
        let response = rejection(Self.request(adding: [("Sec-WebSocket-Key", "AAAAAAAAAAAAAAAAAAAAAA==")]))
        #expect(response?.status == 400)
        #expect(body(response) == "duplicate Sec-WebSocket-Key\n")
    }

    @Test(arguments: ["\(key), \(key)", "AAAAAAAAAAAAAAAAAAAA", "AAAAAAAAAAAAAAAAAAAAAAAA", "not base64!!", ""])
    func badKey_400(key: String) {
        let request = Self.request(dropping: ["Sec-WebSocket-Key"], adding: [("Sec-WebSocket-Key", key)])
        #expect(rejection(request)?.status == 400)
    }

    @Test(arguments: ["8", "12", "14", "13, 8", "thirteen"])
    func wrongVersion_426WithSupportedVersion(version: String) {
        let request = Self.request(dropping: ["Sec-WebSocket-Version"], adding: [("Sec-WebSocket-Version", version)])
        let response = rejection(request)
        #expect(response?.status == 426)
        #expect(response?.headers.contains { $0.0 == "Sec-WebSocket-Version" && $0.1 == "13" } == true)
        #expect(response?.serialized().starts(with: Array("HTTP/1.1 426 Upgrade Required\r\n".utf8)) == true)
    }

    @Test func missingVersion_400() {
        #expect(rejection(Self.request(dropping: ["Sec-WebSocket-Version"]))?.status == 400)
    }

    @Test func missingUpgrade_426() {
        let response = rejection(Self.request(dropping: ["Upgrade"]))
        #expect(response?.status == 426)
        #expect(response?.headers.contains { $0.0 == "Upgrade" && $0.1 == "websocket" } == true)
    }

    @Test func otherViolations_400() {
        #expect(rejection(Self.request(method: "POST"))?.status == 400)
        #expect(rejection(Self.request(version: "HTTP/1.0"))?.status == 400)
        #expect(rejection(Self.request(dropping: ["Host"]))?.status == 400)
        #expect(rejection(Self.request(dropping: ["Connection"]))?.status == 400)
        let notUpgrade = Self.request(dropping: ["Connection"], adding: [("Connection", "keep-alive, upgrades")])
        #expect(rejection(notUpgrade)?.status == 400)
        #expect(
            rejection(Self.request(dropping: ["Host"]))?.headers.contains { $0.0 == "Connection" && $0.1 == "close" }
                == true)
    }

    @Test func offeredSubprotocols_splitsListsAcrossHeaders() {
        let request = Self.request(adding: [
            ("Sec-WebSocket-Protocol", "raaid.v1, chat"), ("sec-websocket-protocol", " ,superchat ,\t"),
        ])
        #expect(WSHandshake.offeredSubprotocols(request) == ["raaid.v1", "chat", "superchat"])
        #expect(WSHandshake.offeredSubprotocols(Self.request()).isEmpty)
    }
}
