import Foundation
import Memory
import Testing

@testable import Serve

/// raaid's protocol through a real socket: WebSocketServer + RaaidServerHandler on 127.0.0.1 port 0.
@Suite(.timeLimit(.minutes(1))) struct LiveAppTests {
    /// A connected, authenticated protocol client.
    struct Client {
        var ws: TestWSClient

        static func open(
            _ address: SocketAddress, token: String = "secret-token", headers: [String] = []
        ) async throws -> (Client?, String) {
            var ws = try await TestWSClient.connect(to: address)
            var request = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:\(address.port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            request += "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
            request += "Authorization: Bearer \(token)\r\n"
            for header in headers { request += header + "\r\n" }
            try await ws.write(Array((request + "\r\n").utf8))
            let head = try await ws.readHead()
            return (head.hasPrefix("HTTP/1.1 101") ? Client(ws: ws) : nil, head)
        }

        func send(_ text: String) async throws { try await ws.write(TestWSClient.frame(0x1, Array(text.utf8))) }

        /// The next text frame as JSON.
        mutating func next() async throws -> JSONValue {
            while true {
                let frame = try await ws.readFrame()
                if frame.opcode == 0x1 { return try JSONValue.parse(bytes: frame.payload) }
                if frame.opcode == 0x8 { throw TestWSClient.Failure.closedEarly }
            }
        }

        /// Reads frames until `run.completed` of `run`; returns that run's events.
        mutating func events(until run: String) async throws -> [JSONValue] {
            var events: [JSONValue] = []
            while true {
                let message = try await next()
                guard message["run"]?.stringValue == run, message["seq"] != nil else { continue }
                events.append(message)
                if message["type"]?.stringValue == "run.completed" { return events }
            }
        }
    }

    private func withApp(
        maxConcurrentRuns: Int = 2, executor: RunRegistry.Executor? = nil,
        _ body: (SocketAddress, AppFixture) async throws -> Void
    ) async throws {
        let fixture = try AppFixture(maxConcurrentRuns: maxConcurrentRuns, executor: executor)
        defer { fixture.remove() }
        let handler = RaaidServerHandler(app: fixture.app, log: ServerLog(level: .error, write: { _ in }))
        var configuration = ServerConfiguration()
        configuration.webSocketLimits = WSLimits(maxFrameSize: 64 << 10, maxMessageSize: 64 << 10, maxFragments: 64)
        let server = try WebSocketServer(configuration: configuration, handler: handler)
        let address = try server.bind()
        handler.didBind(port: Int(address.port)) { server.metrics.prometheusText() }
        let task = Task { try await server.run() }
        defer { task.cancel() }
        try await body(address, fixture)
        await server.shutdown(drainTimeout: .milliseconds(200))
        _ = try? await task.value
    }

    @Test func runStart_toRunCompleted_thenResubscribeSinceSeqAfterDisconnect() async throws {
        try await withApp { address, _ in
            var (opened, _) = try await Client.open(address)
            var client = try #require(opened)
            let hello = try await client.next()
            let sessionToken = try #require(hello["session_token"]?.stringValue)
            try await client.send(#"{"type":"run.start","id":"1","task":"frame parser"}"#)
            let ack = try await client.next()
            #expect(ack["type"]?.stringValue == "ack")
            let run = try #require(ack["run"]?.stringValue)
            // Read a few events, then drop the connection without a close handshake.
            var seen = 0
            while seen < 3 {
                let message = try await client.next()
                if message["run"]?.stringValue == run { seen = message["seq"]?.intValue ?? seen }
            }
            client.ws.close()

            (opened, _) = try await Client.open(address, headers: ["X-Raaid-Session: \(sessionToken)"])
            var again = try #require(opened)
            #expect(try await again.next()["resumed"]?.boolValue == true)
            try await again.send(#"{"type":"subscribe","id":"2","run":"\#(run)","since_seq":\#(seen)}"#)
            #expect(try await again.next()["type"]?.stringValue == "ack")
            let rest = try await again.events(until: run)
            #expect(rest.first?["seq"]?.intValue == seen + 1)
            #expect(rest.compactMap { $0["seq"]?.intValue } == Array((seen + 1)...(seen + rest.count)))
            #expect(rest.last?["status"]?.stringValue == "success")
            again.ws.close()
        }
    }

    @Test func twoSessions_cannotTouchEachOthersRuns_andCancelWorks() async throws {
        try await withApp(maxConcurrentRuns: 1, executor: AppFixture.holdUntilCancelled) { address, _ in
            var (opened, _) = try await Client.open(address)
            var alice = try #require(opened)
            _ = try await alice.next()
            (opened, _) = try await Client.open(address)
            var bob = try #require(opened)
            _ = try await bob.next()
            try await alice.send(#"{"type":"run.start","id":"a1","task":"frame parser"}"#)
            try await alice.send(#"{"type":"run.start","id":"a2","task":"handshake"}"#)
            var runs: [String] = []
            while runs.count < 2 {
                let message = try await alice.next()
                if message["type"]?.stringValue == "ack", let run = message["run"]?.stringValue { runs.append(run) }
            }
            try await bob.send(#"{"type":"run.cancel","id":"b1","run":"\#(runs[1])"}"#)
            #expect(try await bob.next()["code"]?.stringValue == "forbidden")
            for run in runs.reversed() {
                try await alice.send(#"{"type":"run.cancel","id":"c","run":"\#(run)"}"#)
                let events = try await alice.events(until: run)
                #expect(events.last?["status"]?.stringValue == "cancelled")
                #expect(events.last?["reason"]?.stringValue == "client_cancelled")
            }
            alice.ws.close()
            bob.ws.close()
        }
    }

    @Test func refusals_badTokenAndForeignOrigin() async throws {
        try await withApp { address, _ in
            let (bad, badHead) = try await Client.open(address, token: "wrong")
            #expect(bad == nil)
            #expect(badHead.hasPrefix("HTTP/1.1 401"))
            let (foreign, foreignHead) = try await Client.open(address, headers: ["Origin: https://evil.example"])
            #expect(foreign == nil)
            #expect(foreignHead.hasPrefix("HTTP/1.1 403"))
        }
    }

    @Test func oversizedFrame_closes1009_andInvalidUTF8_closes1007_serverSurvives() async throws {
        try await withApp { address, _ in
            var (opened, _) = try await Client.open(address)
            var big = try #require(opened)
            _ = try await big.next()
            try await big.ws.write(TestWSClient.frame(0x1, Array(repeating: 0x61, count: 70_000)))
            let close = try await big.ws.readFrame()
            #expect(close.opcode == 0x8)
            #expect(Array(close.payload.prefix(2)) == [0x03, 0xF1])

            (opened, _) = try await Client.open(address)
            var invalid = try #require(opened)
            _ = try await invalid.next()
            try await invalid.ws.write(TestWSClient.frame(0x1, [0x7B, 0xFF, 0xFE, 0x7D]))
            let close1007 = try await invalid.ws.readFrame()
            #expect(close1007.opcode == 0x8)
            #expect(Array(close1007.payload.prefix(2)) == [0x03, 0xEF])

            (opened, _) = try await Client.open(address)
            var fine = try #require(opened)
            _ = try await fine.next()
            try await fine.ws.write(TestWSClient.frame(0x2, [1, 2, 3]))
            #expect(try await fine.next()["code"]?.stringValue == "binary_not_supported")
            try await fine.send(#"{"type":"ping","id":"p"}"#)
            #expect(try await fine.next()["type"]?.stringValue == "ack")
            fine.ws.close()
        }
    }
}
