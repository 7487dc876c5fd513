import Foundation
import Memory
import Testing

/// `raaid serve` through the built binary: the example clients, HTTP endpoints, refusals, shutdown.
@Suite(.timeLimit(.minutes(1))) struct ServeEndToEndTests {
    @Test func pythonClient_runsAResearchTaskToCompletion() async throws {
        let workspace = try Fixtures.makeSwiftWorkspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let server = try await ServeProcess.start(workspace: workspace)
        let client = RepositoryPaths.root.appendingPathComponent("examples/clients/raaid_client.py").path
        let (out, err, code) = try await runTool(
            "python3", [client, "--url", "ws://127.0.0.1:\(server.port)/ws", "--token", server.token, "--task", "tokenizer errors"])
        #expect(code == 0, "stderr: \(err)")
        let lines = out.split(separator: "\n").map(String.init)
        let events = try EventStreamChecks.check(lines)
        #expect(events.last?["status"]?.stringValue == "success")
        #expect(events.contains { $0["record"]?["path"]?.stringValue == "Sources/CalcCore/Tokenizer.swift" })
        #expect(try await server.stop() == 0)
        #expect(!server.stderr.contains(server.token), "the token never appears in the server log")
    }

    @Test func shellClient_runsAResearchTaskToCompletion() async throws {
        let workspace = try Fixtures.makeSwiftWorkspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let server = try await ServeProcess.start(workspace: workspace)
        let client = RepositoryPaths.root.appendingPathComponent("examples/clients/raaid-ws.sh").path
        let (out, err, code) = try await runTool(
            "bash", [client, "127.0.0.1:\(server.port)", #"Evaluator "sum" of tokens"#],
            environment: ["RAAID_SERVE_TOKEN": server.token])
        #expect(code == 0, "stderr: \(err)")
        let events = try EventStreamChecks.check(out.split(separator: "\n").map(String.init))
        #expect(events.last?["status"]?.stringValue == "success")
        #expect(try await server.stop() == 0)
    }

    @Test func httpEndpoints_andRefusals() async throws {
        let workspace = try Fixtures.makeSwiftWorkspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let server = try await ServeProcess.start(workspace: workspace)
        let host = "Host: 127.0.0.1:\(server.port)\r\n"
        #expect(try await rawHTTP(port: server.port, request: "GET /healthz HTTP/1.1\r\n\(host)\r\n").status == "HTTP/1.1 200 OK")
        #expect(try await rawHTTP(port: server.port, request: "GET /readyz HTTP/1.1\r\n\(host)\r\n").status == "HTTP/1.1 200 OK")
        let page = try await rawHTTP(port: server.port, request: "GET / HTTP/1.1\r\n\(host)\r\n")
        #expect(page.status == "HTTP/1.1 200 OK")
        #expect(page.response.contains("<title>raaid</title>"))
        #expect(!page.response.contains("src=\"http"), "no external scripts")
        #expect(try await rawHTTP(port: server.port, request: "GET /metrics HTTP/1.1\r\n\(host)\r\n").status == "HTTP/1.1 401 Unauthorized")
        let metrics = try await rawHTTP(port: server.port, request: "GET /metrics HTTP/1.1\r\n\(host)Authorization: Bearer \(server.token)\r\n\r\n")
        #expect(metrics.status == "HTTP/1.1 200 OK")
        #expect(metrics.response.contains("raaid_connections_open"))

        let upgrade = "GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        let noToken = try await rawHTTP(port: server.port, request: upgrade + host + "\r\n")
        #expect(noToken.status == "HTTP/1.1 401 Unauthorized")
        let badToken = try await rawHTTP(port: server.port, request: upgrade + host + "Authorization: Bearer wrong-token-xxxxxxxx\r\n\r\n")
        #expect(badToken.status == "HTTP/1.1 401 Unauthorized")
        let foreignOrigin = try await rawHTTP(
            port: server.port, request: upgrade + host + "Origin: https://evil.example\r\nAuthorization: Bearer \(server.token)\r\n\r\n")
        #expect(foreignOrigin.status == "HTTP/1.1 403 Forbidden")
        let rebinding = try await rawHTTP(
            port: server.port, request: upgrade + "Host: attacker.example:\(server.port)\r\nAuthorization: Bearer \(server.token)\r\n\r\n")
        #expect(rebinding.status.hasPrefix("HTTP/1.1 421"))
        let browser = try await rawHTTP(
            port: server.port,
            request: upgrade + host + "Origin: http://127.0.0.1:\(server.port)\r\nSec-WebSocket-Protocol: raaid.v1, raaid.token.\(server.token)\r\n\r\n")
        #expect(browser.status == "HTTP/1.1 101 Switching Protocols")
        #expect(browser.response.contains("Sec-WebSocket-Protocol: raaid.v1\r\n"))
        #expect(!browser.response.contains(server.token), "the token is never echoed")

        let after = try await rawHTTP(port: server.port, request: "GET /metrics HTTP/1.1\r\n\(host)Authorization: Bearer \(server.token)\r\n\r\n")
        #expect(after.response.contains(#"raaid_connections_refused_total{reason="origin_not_allowed"} 1"#))
        #expect(after.response.contains(#"raaid_connections_refused_total{reason="bad_token"} 1"#))
        #expect(try await server.stop(SIGINT) == 0)
        #expect(!server.stderr.contains(server.token), "the token never appears in the server log")
    }

    @Test func serveHelp_andBadFlags() async throws {
        let bad = try await RaaidProcess.run(["serve", "--port", "70000"])
        #expect(bad.exitCode == 2)
        #expect(bad.stderr.hasPrefix("Error: invalid value '70000' for '--port'; expected an integer from 0 to 65535"))
        let short = try await RaaidProcess.run(["serve", "--token", "short"])
        #expect(short.exitCode == 2)
        #expect(short.stderr.contains("at least 16 characters"))
    }
}
