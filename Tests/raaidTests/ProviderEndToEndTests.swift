import Foundation
import Memory
import Testing
import TestSupport

/// `raaid run` against a local OpenAI-compatible server speaking the real streaming wire format (as Ollama,
/// vLLM or llama.cpp would): a 429 retried, then research, a plan and an edit; the tests pass.
@Suite(.timeLimit(.minutes(1))) struct ProviderEndToEndTests {
    static func chunk(_ delta: String, finish: String? = nil) -> String {
        let reason = finish.map { "\"\($0)\"" } ?? "null"
        return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"local-coder\",\"choices\":[{\"index\":0,\"delta\":\(delta),\"finish_reason\":\(reason)}]}\n\n"
    }

    static let usage = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"local-coder\",\"choices\":[],\"usage\":{\"prompt_tokens\":900,\"completion_tokens\":40,\"total_tokens\":940}}\n\ndata: [DONE]\n\n"

    static func text(_ text: String) -> String {
        chunk("{\"role\":\"assistant\",\"content\":\(JSONValue.string(text).serialized())}") + chunk("{}", finish: "stop") + usage
    }

    static func toolCall(_ name: String, _ arguments: JSONValue) -> String {
        let json = arguments.serialized()
        let split = json.index(json.startIndex, offsetBy: json.count / 2)
        return chunk("{\"role\":\"assistant\",\"tool_calls\":[{\"index\":0,\"id\":\"call_\(name)\",\"type\":\"function\",\"function\":{\"name\":\"\(name)\",\"arguments\":\"\"}}]}")
            + chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\(JSONValue.string(String(json[..<split])).serialized())}}]}")
            + chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\(JSONValue.string(String(json[split...])).serialized())}}]}")
            + chunk("{}", finish: "tool_calls") + usage
    }

    /// A fixture workspace and a scratch directory (for memory and recordings), removed afterwards.
    static func withDirectories(_ body: (_ workspace: URL, _ scratch: URL) async throws -> Void) async throws {
        let workspace = try ModelPipelineTests.makeWorkspace()
        let scratch = try Fixtures.makeTemporaryDirectory()
        defer {
            try? FileManager.default.removeItem(at: workspace)
            try? FileManager.default.removeItem(at: scratch)
        }
        try await body(workspace, scratch)
    }

    @Test func localOpenAICompatibleServer_drivesTheWholeRun() async throws {
        let server = try ScriptedHTTPServer([
            .json(status: 429, #"{"error":{"message":"slow down","type":"rate_limit"}}"#, headers: ["retry-after-ms": "20"]),
            .sse(Self.text("fizzbuzz.py needs the implementation; check.py verifies it.")),
            .sse(Self.toolCall("submit_plan", ["tasks": [["title": "Implement fizzbuzz", "steps": ["write it"], "files": ["fizzbuzz.py"]]]])),
            .sse(Self.toolCall("write_file", ["path": "fizzbuzz.py", "content": .string(ModelPipelineTests.correct + "\n")])),
            .sse(Self.text("Implemented.")),
        ])
        defer { server.stop() }
        try await Self.withDirectories { workspace, scratch in
            let output = try await RaaidProcess.run(
                ["run", "-m", ModelPipelineTests.task, "--base-url", server.baseURL + "/v1", "--model", "local-coder",
                 "--test-cmd", ModelPipelineTests.testCommand, "--workspace", workspace.path,
                 "--memory-dir", scratch.appendingPathComponent("mem").path, "--record", scratch.appendingPathComponent("rec.jsonl").path],
                environment: ["OPENAI_API_KEY": "sk-test-never-printed-0123456789"])
            #expect(output.exitCode == 0, "\(output.stderr)\n\(output.lines.suffix(3))")
            let events = try EventStreamChecks.check(output.lines)
            #expect(events.first?["provider"]?.stringValue == "openai")
            #expect(events.first?["model"]?.stringValue == "local-coder")
            let retry = try #require(events.first { $0["type"]?.stringValue == "error" })
            #expect(retry["will_retry"]?.boolValue == true)
            #expect(retry["fatal"]?.boolValue == false)
            #expect(retry["http_status"]?.intValue == 429)
            let turn = try #require(events.first { $0["type"]?.stringValue == "turn.completed" })
            #expect(turn["usage"]?["input_tokens"]?.intValue == 900)
            #expect(turn["cost_source"]?.stringValue == "local")
            #expect(events.last?["files_changed"] == ["fizzbuzz.py"])
            #expect(try String(contentsOf: workspace.appendingPathComponent("fizzbuzz.py"), encoding: .utf8) == ModelPipelineTests.correct + "\n")
            #expect(server.requests.allSatisfy { $0.path == "/v1/chat/completions" })
            #expect(server.requests.count == 5)
            #expect(!output.stdout.contains("sk-test-never-printed") && !output.stderr.contains("sk-test-never-printed"))
            let recorded = try String(contentsOf: scratch.appendingPathComponent("rec.jsonl"), encoding: .utf8)
            #expect(!recorded.contains("sk-test-never-printed"), "no key in a recording")
        }
    }

    #if os(Linux)
        @Test func libcurlThatCannotBeLoaded_isAConfigurationError_exit3_beforeAnyRequest() async throws {
            let server = try ScriptedHTTPServer([.sse(Self.text("never asked"))])
            defer { server.stop() }
            try await Self.withDirectories { workspace, scratch in
                let output = try await RaaidProcess.run(
                    ["run", "-m", ModelPipelineTests.task, "--base-url", server.baseURL + "/v1", "--model", "local-coder",
                     "--workspace", workspace.path, "--memory-dir", scratch.appendingPathComponent("mem").path],
                    environment: ["RAAID_LIBCURL": "/nonexistent/libcurl-for-raaid-tests.so"])
                #expect(output.exitCode == 3, "\(output.stderr)")
                let events = try EventStreamChecks.check(output.lines)
                let error = try #require(events.first { $0["type"]?.stringValue == "error" })
                #expect(error["code"]?.stringValue == "provider_setup_failed")
                let message = error["message"]?.stringValue ?? ""
                #expect(message.contains("RAAID_LIBCURL=/nonexistent/libcurl-for-raaid-tests.so"), "\(message)")
                #expect(message.contains("apt-get install libcurl4"), "\(message)")
                #expect(events.last?["reason"]?.stringValue == "configuration_error")
                #expect(events.last?["exit_code"]?.intValue == 3)
                #expect(server.requests.isEmpty, "no request was attempted")
                #expect(output.stderr.contains("libcurl"), "one clear line on stderr: \(output.stderr)")
            }
        }
    #endif
}
