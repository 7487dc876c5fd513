import Synchronization
import Testing

@testable import Serve

@Suite(.timeLimit(.minutes(1)))
struct WebSocketServerTests {
    @Test(arguments: EchoHandler.Mode.allCases)
    func echo_roundTripsTextAndBinary(mode: EchoHandler.Mode) async throws {
        try await withLiveServer(handler: EchoHandler(mode: mode)) { server, address in
            var client = try await TestWSClient.open(address)
            defer { client.close() }
            try await client.write(TestWSClient.frame(0x1, Array("héllo".utf8)))
            #expect(try await client.readFrame() == .init(fin: true, opcode: 0x1, payload: Array("héllo".utf8)))
            let blob = (0..<70_000).map { UInt8(truncatingIfNeeded: $0) }
            try await client.write(TestWSClient.frame(0x2, blob))
            #expect(try await client.readFrame() == .init(fin: true, opcode: 0x2, payload: blob))
            // A fragmented message comes back whole.
            try await client.write(TestWSClient.frame(0x1, Array("ab".utf8), fin: false))
            try await client.write(TestWSClient.frame(0x0, Array("cd".utf8)))
            #expect(try await client.readFrame() == .init(fin: true, opcode: 0x1, payload: Array("abcd".utf8)))
            #expect(server.metrics.messagesIn == 3)
        }
    }

    @Test(arguments: EchoHandler.Mode.allCases)
    func ping_isAnsweredWithPongCarryingTheSamePayload(mode: EchoHandler.Mode) async throws {
        try await withLiveServer(handler: EchoHandler(mode: mode)) { _, address in
            var client = try await TestWSClient.open(address)
            defer { client.close() }
            try await client.write(TestWSClient.frame(0x9, [1, 2, 3]))
            #expect(try await client.readFrame() == .init(fin: true, opcode: 0xA, payload: [1, 2, 3]))
        }
    }

    @Test(arguments: EchoHandler.Mode.allCases)
    func close_isEchoedWithTheSameCode_thenTheServerCloses(mode: EchoHandler.Mode) async throws {
        try await withLiveServer(handler: EchoHandler(mode: mode)) { _, address in
            var client = try await TestWSClient.open(address)
            defer { client.close() }
            try await client.write(TestWSClient.frame(0x8, [0x0F, 0xA0] + Array("bye".utf8)))  // 4000
            let frame = try await client.readFrame()
            #expect(frame.opcode == 0x8)
            #expect(Array(frame.payload.prefix(2)) == [0x0F, 0xA0])
            #expect(try await client.waitForEndOfFile())
        }
    }

    @Test(arguments: EchoHandler.Mode.allCases)
    func oversizedFrame_getsExactClose1009(mode: EchoHandler.Mode) async throws {
        var configuration = ServerConfiguration()
        configuration.webSocketLimits = WSLimits(maxFrameSize: 1024)
        try await withLiveServer(configuration, handler: EchoHandler(mode: mode)) { server, address in
            var client = try await TestWSClient.open(address)
            defer { client.close() }
            // Only the header (declaring 2000 bytes) is sent: the limit is checked before buffering.
            try await client.write(Array(TestWSClient.frame(0x2, [UInt8](repeating: 0, count: 2000)).prefix(8)))
            #expect(try await client.readToEnd() == [0x88, 0x02, 0x03, 0xF1])
            #expect(server.metrics.framesRejected[1009] == 1)
        }
    }

    @Test(arguments: EchoHandler.Mode.allCases)
    func invalidUTF8_getsClose1007(mode: EchoHandler.Mode) async throws {
        try await withLiveServer(handler: EchoHandler(mode: mode)) { _, address in
            var client = try await TestWSClient.open(address)
            defer { client.close() }
            try await client.write(
                TestWSClient.frame(0x1, [0xCE, 0xBA, 0xE1, 0xBD, 0xB9, 0xCF, 0x83, 0xED, 0xA0, 0x80]))
            #expect(try await client.readToEnd() == [0x88, 0x02, 0x03, 0xEF])
        }
    }

    @Test(arguments: EchoHandler.Mode.allCases)
    func unmaskedFrame_getsClose1002(mode: EchoHandler.Mode) async throws {
        try await withLiveServer(handler: EchoHandler(mode: mode)) { _, address in
            var client = try await TestWSClient.open(address)
            defer { client.close() }
            try await client.write(TestWSClient.frame(0x1, Array("hi".utf8), masked: false))
            #expect(try await client.readToEnd() == [0x88, 0x02, 0x03, 0xEA])
        }
    }

    @Test func badHandshake_gets400() async throws {
        try await withLiveServer { server, address in
            var client = try await TestWSClient.connect(to: address)
            defer { client.close() }
            let request =
                "GET /echo HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n"
            try await client.write(Array(request.utf8))
            let head = try await client.readHead()
            #expect(head.hasPrefix("HTTP/1.1 400 "))
            #expect(try await client.waitForEndOfFile())
            #expect(server.metrics.handshakesRejected == 1)
        }
    }

    @Test func malformedHead_gets400() async throws {
        try await withLiveServer { _, address in
            var client = try await TestWSClient.connect(to: address)
            defer { client.close() }
            try await client.write(Array("NONSENSE\r\n\r\n".utf8))
            #expect(try await client.readHead().hasPrefix("HTTP/1.1 400 "))
        }
    }

    @Test func rejectedUpgrade_sendsTheHandlersResponse() async throws {
        try await withLiveServer { _, address in
            var client = try await TestWSClient.connect(to: address)
            defer { client.close() }
            try await client.write(Array(TestWSClient.upgradeRequest(path: "/elsewhere").utf8))
            #expect(try await client.readHead().hasPrefix("HTTP/1.1 404 "))
        }
    }

    @Test func plainGET_isRoutedToRespond() async throws {
        try await withLiveServer(handler: RecordingHandler()) { server, address in
            var client = try await TestWSClient.connect(to: address)
            defer { client.close() }
            try await client.write(Array("GET /health?x=1 HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
            let response = String(decoding: try await client.readToEnd(), as: UTF8.self)
            #expect(response.hasPrefix("HTTP/1.1 200 OK\r\n"))
            #expect(response.contains("Connection: close\r\n"))
            #expect(response.hasSuffix("\r\n\r\n{\"path\":\"/health\"}"))
            #expect(server.metrics.httpRequests == 1)
        }
    }

    @Test func handshakeTimeout_closesTheConnection() async throws {
        var configuration = ServerConfiguration()
        configuration.handshakeTimeout = .milliseconds(200)
        try await withLiveServer(configuration) { server, address in
            var client = try await TestWSClient.connect(to: address)
            defer { client.close() }
            try await client.write(Array("GET /echo HTTP/1.1\r\nHost:".utf8))
            #expect(try await client.waitForEndOfFile(timeout: .seconds(20)))
            #expect(server.metrics.handshakeTimeouts == 1)
        }
    }

    @Test(arguments: EchoHandler.Mode.allCases)
    func idleConnection_isPinged_andClosedWith1001WhenThePongNeverComes(mode: EchoHandler.Mode) async throws {
        var configuration = ServerConfiguration()
        configuration.pingInterval = .milliseconds(200)
        configuration.pongTimeout = .milliseconds(200)
        try await withLiveServer(configuration, handler: EchoHandler(mode: mode)) { server, address in
            var client = try await TestWSClient.open(address)
            defer { client.close() }
            let ping = try await client.readFrame()
            #expect(ping.opcode == 0x9)
            let close = try await client.readFrame()
            #expect(close.opcode == 0x8)
            #expect(Array(close.payload.prefix(2)) == [0x03, 0xE9])
            #expect(try await client.waitForEndOfFile())
            #expect(server.metrics.pingTimeouts == 1)
        }
    }

    @Test(arguments: EchoHandler.Mode.allCases)
    func idleConnection_staysOpenWhenPongsAnswer(mode: EchoHandler.Mode) async throws {
        var configuration = ServerConfiguration()
        configuration.pingInterval = .milliseconds(100)
        // Generous: under a loaded CI machine the test client may take a while to answer.
        configuration.pongTimeout = .seconds(5)
        try await withLiveServer(configuration, handler: EchoHandler(mode: mode)) { _, address in
            var client = try await TestWSClient.open(address)
            defer { client.close() }
            for _ in 0..<3 {
                let ping = try await client.readFrame()
                #expect(ping.opcode == 0x9)
                try await client.write(TestWSClient.frame(0xA, ping.payload))
            }
            try await client.write(TestWSClient.frame(0x1, Array("still here".utf8)))
            var frame = try await client.readFrame()
            while frame.opcode == 0x9 { frame = try await client.readFrame() }
            #expect(frame.payload == Array("still here".utf8))
        }
    }

    @Test(arguments: EchoHandler.Mode.allCases)
    func slowReader_isDropped_andTheServerSurvives(mode: EchoHandler.Mode) async throws {
        var configuration = ServerConfiguration()
        configuration.maxQueuedBytes = 1 << 20
        configuration.writeStallTimeout = .milliseconds(500)
        try await withLiveServer(configuration, handler: FloodHandler(mode: mode)) { server, address in
            let client = try await TestWSClient.open(address, path: "/flood")
            defer { client.close() }
            // The client never reads; the kernel buffers fill, then the queue overflows or the write stalls.
            let deadline = ContinuousClock.now + .seconds(20)
            while server.metrics.slowConsumerDisconnects == 0 && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(server.metrics.slowConsumerDisconnects >= 1)
            while server.metrics.webSocketsOpen > 0 && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(server.metrics.webSocketsOpen == 0)
            var other = try await TestWSClient.open(address)
            defer { other.close() }
            try await other.write(TestWSClient.frame(0x1, Array("alive".utf8)))
            #expect(try await other.readFrame().payload == Array("alive".utf8))
        }
    }

    @Test(arguments: EchoHandler.Mode.allCases)
    func shutdown_sends1001ToClients_andReturns(mode: EchoHandler.Mode) async throws {
        let server = try WebSocketServer(handler: EchoHandler(mode: mode))
        let address = try server.bind()
        let task = Task { try await server.run() }
        var client = try await TestWSClient.open(address)
        defer { client.close() }
        let shutdown = Task { await server.shutdown(drainTimeout: .seconds(5)) }
        let close = try await client.readFrame()
        #expect(close.opcode == 0x8)
        #expect(Array(close.payload.prefix(2)) == [0x03, 0xE9])
        try await client.write(TestWSClient.frame(0x8, [0x03, 0xE9]))
        #expect(try await client.waitForEndOfFile())
        await shutdown.value
        try await task.value
        // The listener is gone.
        await #expect(throws: (any Error).self) { _ = try await TestWSClient.connect(to: address) }
    }

    @Test func receiver_getsEveryMessageInOrder_thenClosedOnce() async throws {
        let log = ReceiverLog()
        try await withLiveServer(handler: LoggingReceiverHandler(log: log)) { _, address in
            var client = try await TestWSClient.open(address)
            defer { client.close() }
            for index in 0..<300 {
                // Fragmented now and then, so messages also span reads.
                if index % 7 == 0 {
                    try await client.write(TestWSClient.frame(0x1, Array("m".utf8), fin: false))
                    try await client.write(TestWSClient.frame(0x0, Array("\(index)".utf8)))
                } else {
                    try await client.write(TestWSClient.frame(0x1, Array("m\(index)".utf8)))
                }
            }
            try await client.write(TestWSClient.frame(0x8, [0x03, 0xE8]))
            #expect(try await client.readFrame().opcode == 0x8)
            #expect(try await client.waitForEndOfFile())
            let deadline = ContinuousClock.now + .seconds(10)
            while log.snapshot.closed == 0 && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(5))
            }
            let snapshot = log.snapshot
            #expect(snapshot.messages == (0..<300).map { "m\($0)" })
            #expect(snapshot.closed == 1)
            #expect(snapshot.messagesAfterClosed == 0)
        }
    }

    @Test(arguments: EchoHandler.Mode.allCases)
    func cancellingRun_endsOpenConnections(mode: EchoHandler.Mode) async throws {
        let server = try WebSocketServer(handler: EchoHandler(mode: mode))
        let address = try server.bind()
        let task = Task { try await server.run() }
        var client = try await TestWSClient.open(address)
        defer { client.close() }
        try await client.write(TestWSClient.frame(0x1, Array("served".utf8)))
        #expect(try await client.readFrame().payload == Array("served".utf8))
        task.cancel()
        try? await task.value
        #expect(try await client.waitForEndOfFile())
        #expect(server.metrics.connectionsOpen == 0)
        #expect(server.metrics.webSocketsOpen == 0)
    }

    @Test(arguments: EchoHandler.Mode.allCases)
    func manyConcurrentConnections_allEcho(mode: EchoHandler.Mode) async throws {
        try await withLiveServer(handler: EchoHandler(mode: mode)) { server, address in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<200 {
                    group.addTask {
                        var client = try await TestWSClient.open(address)
                        defer { client.close() }
                        let text = Array("client \(index)".utf8)
                        try await client.write(TestWSClient.frame(0x1, text))
                        let frame = try await client.readFrame()
                        guard frame.payload == text else { throw TestWSClient.Failure.closedEarly }
                    }
                }
                try await group.waitForAll()
            }
            #expect(server.metrics.webSocketsTotal == 200)
        }
    }

    @Test func metrics_renderAsPrometheusText() {
        var metrics = ServerMetrics()
        metrics.connectionsOpen = 3
        metrics.framesRejected = [1002: 2, 1009: 1]
        let text = metrics.prometheusText()
        #expect(text.contains("# TYPE raaid_serve_connections_open gauge\nraaid_serve_connections_open 3\n"))
        #expect(text.contains("raaid_serve_frames_rejected_total{code=\"1002\"} 2\n"))
        #expect(text.contains("raaid_serve_frames_rejected_total{code=\"1009\"} 1\n"))
        #expect(
            text.split(separator: "\n").filter { $0.hasPrefix("# TYPE raaid_serve_frames_rejected_total") }.count == 1)
    }
}

/// Answers plain requests with the path as JSON.
struct RecordingHandler: ServerHandler {
    func respond(to request: HTTPRequestHead, peer: SocketAddress) async -> HTTPResponse {
        .json(200, "{\"path\":\"\(request.path)\"}")
    }

    func shouldUpgrade(_ request: HTTPRequestHead, peer: SocketAddress) async -> UpgradeDecision { .accept() }

    func connected(_ connection: WSConnection, request: HTTPRequestHead, context: (any Sendable)?) async {
        for await _ in connection.messages {}
    }
}

/// On `/flood`, sends 256 KiB messages as fast as the queue takes them; elsewhere, echoes. Serves in either mode.
struct FloodHandler: ServerHandler {
    var mode = EchoHandler.Mode.task

    func respond(to request: HTTPRequestHead, peer: SocketAddress) async -> HTTPResponse { .text(404, "") }

    func shouldUpgrade(_ request: HTTPRequestHead, peer: SocketAddress) async -> UpgradeDecision { .accept() }

    func connected(_ connection: WSConnection, request: HTTPRequestHead, context: (any Sendable)?) async {
        guard request.path == "/flood" else {
            return await EchoHandler(mode: .task).connected(connection, request: request, context: context)
        }
        await Self.flood(connection)
        for await _ in connection.messages {}
    }

    func receiver(for connection: WSConnection, request: HTTPRequestHead, context: (any Sendable)?) -> (any WSReceiver)? {
        guard mode == .receiver else { return nil }
        guard request.path == "/flood" else {
            return EchoHandler(mode: .receiver).receiver(for: connection, request: request, context: context)
        }
        Task { await Self.flood(connection) }
        return Ignore()
    }

    private static func flood(_ connection: WSConnection) async {
        let chunk = [UInt8](repeating: 0x42, count: 256 * 1024)
        while connection.send(binary: chunk) {
            try? await Task.sleep(for: .milliseconds(1))
        }
    }

    private struct Ignore: WSReceiver {
        func received(_ message: WSMessage) {}
        func closed() {}
    }
}

/// What a ``LoggingReceiverHandler`` saw.
final class ReceiverLog: Sendable {
    struct Snapshot {
        var messages: [String] = []
        var closed = 0
        var messagesAfterClosed = 0
    }

    private let state = Mutex(Snapshot())
    var snapshot: Snapshot { state.withLock { $0 } }

    func received(_ text: String) {
        state.withLock { state in
            if state.closed > 0 { state.messagesAfterClosed += 1 }
            state.messages.append(text)
        }
    }

    func closed() { state.withLock { $0.closed += 1 } }
}

/// Serves `/echo` with a receiver that logs every text message (and sends nothing back).
struct LoggingReceiverHandler: ServerHandler {
    let log: ReceiverLog

    func respond(to request: HTTPRequestHead, peer: SocketAddress) async -> HTTPResponse { .text(404, "") }

    func shouldUpgrade(_ request: HTTPRequestHead, peer: SocketAddress) async -> UpgradeDecision { .accept() }

    func connected(_ connection: WSConnection, request: HTTPRequestHead, context: (any Sendable)?) async {
        Issue.record("a handler with a receiver is not served by connected()")
    }

    func receiver(for connection: WSConnection, request: HTTPRequestHead, context: (any Sendable)?) -> (any WSReceiver)? {
        Logger(log: log)
    }

    private struct Logger: WSReceiver {
        let log: ReceiverLog
        func received(_ message: WSMessage) {
            if case .text(let text) = message { log.received(text) }
        }
        func closed() { log.closed() }
    }
}
