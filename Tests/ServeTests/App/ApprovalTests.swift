import Foundation
import Memory
import Phases
import Testing
import TestSupport

@testable import Serve

/// A model run under serve: a shell command the rules deny waits for a client's approval.
@Suite(.timeLimit(.minutes(1))) struct ApprovalTests {
    private func makeApp(_ script: [ModelResponse]) throws -> (ServeApp, URL) {
        let fixture = try AppFixture()
        var configuration = fixture.app.configuration
        configuration.provider = try ProviderConfiguration.resolve(
            flags: .init(provider: "openai", model: "scripted-1", baseURL: "http://127.0.0.1:9/v1"), environment: [:],
            configFile: nil)
        let provider = ScriptedProvider(script)
        let app = ServeApp(
            configuration: configuration, memory: fixture.memory, log: ServerLog(level: .error, write: { _ in }),
            executor: RunRegistry.pipeline, providerFactory: { provider })
        return (app, fixture.root)
    }

    static let script: [ModelResponse] = [
        ScriptedProvider.say("Research done."),
        ScriptedProvider.call("submit_plan", ["tasks": [["title": "Say hello", "steps": ["echo"]]]], id: "p"),
        ScriptedProvider.call("run_shell", ["command": "echo approved-hello"], id: "sh"),
        ScriptedProvider.say("Done."),
    ]

    @Test(arguments: [true, false])
    func shellCall_waitsForTheClient(_ allow: Bool) async throws {
        let (app, root) = try makeApp(Self.script)
        defer { try? FileManager.default.removeItem(at: root) }
        let client = FakeConnection()
        let context = app.open(client, resumeToken: nil)
        app.receive(text: #"{"type":"run.start","id":"1","task":"say hello","options":{"research_only":false}}"#, from: context)
        let run = try #require(client.reply("ack", id: "1")?["run"]?.stringValue)
        var question: JSONValue?
        for _ in 0..<2000 where question == nil {
            question = client.events(of: run).first { $0["item"]?["kind"]?.stringValue == "question" }
            try await Task.sleep(for: .milliseconds(10))
        }
        let item = try #require(question?["item"])
        #expect(item["options"] == ["allow", "deny"])
        #expect(item["text"]?.stringValue?.contains("echo approved-hello") == true)
        let request = try #require(item["id"]?.stringValue)
        app.receive(
            text: #"{"type":"permission.respond","id":"2","run":"\#(run)","request":"\#(request)","decision":"\#(allow ? "allow" : "deny")"}"#,
            from: context)
        #expect(client.reply("ack", id: "2") != nil)
        try await client.waitForCompletion(of: run)
        let events = client.events(of: run)
        let decision = try #require(events.first { $0["type"]?.stringValue == "permission.decided" && $0["tool"]?.stringValue == "run_shell" })
        #expect(decision["allowed"]?.boolValue == allow)
        #expect(decision["by"]?.stringValue == "client", "the client decided, either way")
        let ran = events.contains { $0["item"]?["tool"]?.stringValue == "run_shell" && $0["item"]?["output"]?.stringValue?.contains("approved-hello\n") == true }
        #expect(ran == allow)
        #expect(events.last?["status"]?.stringValue == "success")
        // A second answer for the same request finds nothing pending.
        app.receive(text: #"{"type":"permission.respond","id":"3","run":"\#(run)","request":"\#(request)","decision":"allow"}"#, from: context)
        #expect(client.reply("error", id: "3")?["code"]?.stringValue == "no_pending_request")
    }
}
