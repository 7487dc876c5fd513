import Foundation
import Memory
import Testing
import TestSupport

@testable import Phases

@Suite(.timeLimit(.minutes(1))) struct RecordReplayTests {
    static func temporaryFile() -> String {
        NSTemporaryDirectory() + "raaid-record-\(UUID().uuidString).jsonl"
    }

    static let first = ModelRequest(
        model: "claude-sonnet-4-5", system: "sys", messages: [.user("Read main.swift")],
        tools: ProviderHTTPTests.request.tools)

    @Test func record_thenReplay_givesIdenticalResponsesAndEvents_withNoServer() async throws {
        let path = Self.temporaryFile()
        defer { unlink(path) }
        var recordedResponses: [ModelResponse] = []
        let recordedEvents = Collector<ModelStreamEvent>()
        let second: ModelRequest
        do {
            let server = try ScriptedHTTPServer([
                .sse(WireFixtures.anthropicToolUse), .sse(WireFixtures.anthropicText("All done.")),
            ])
            defer { server.stop() }
            let provider = try RecordingProvider(
                try AnthropicProvider(apiKey: ProviderHTTPTests.fakeKey, baseURL: server.baseURL), path: path)
            let one = try await provider.complete(Self.first) { recordedEvents.append($0) }
            var next = Self.first
            next.messages += [
                ModelMessage(role: .assistant, content: one.content),
                ModelMessage(
                    role: .user, content: [.toolResult(toolUseID: "toolu_01T1x", content: "print(1)", isError: false)]),
            ]
            second = next
            let two = try await provider.complete(second) { recordedEvents.append($0) }
            recordedResponses = [one, two]
        }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(!text.contains(ProviderHTTPTests.fakeKey))
        #expect(!text.contains("127.0.0.1"))
        #expect(text.split(separator: "\n").count == 2)

        let replay = try ReplayProvider(path: path)
        #expect(replay.model == "claude-sonnet-4-5")
        let replayedEvents = Collector<ModelStreamEvent>()
        let one = try await replay.complete(Self.first) { replayedEvents.append($0) }
        let two = try await replay.complete(second) { replayedEvents.append($0) }
        #expect([one, two] == recordedResponses)
        #expect(replayedEvents.values == recordedEvents.values)

        let error = try await #require(throws: ReplayError.self) { _ = try await replay.complete(second) { _ in } }
        #expect(error.message == "replay file \(path) has no turn 3 (it holds 2)")
    }

    @Test func replay_mismatch_namesTheTurnAndTheDifference() async throws {
        let response = ModelResponse(content: [.text("a")], stopReason: .endTurn, usage: TokenUsage(), model: "m")
        let exchanges = (1...2).map { turn in
            RecordFormat.Exchange(
                turn: turn, provider: "anthropic",
                request: ModelRequest(model: "m", system: "", messages: [.user("task"), .user("step \(turn)")]),
                events: [.textDelta(index: 0, text: "a")], outcome: .success(response))
        }
        let replay = ReplayProvider(exchanges: exchanges, path: "x.jsonl")
        _ = try await replay.complete(exchanges[0].request) { _ in }
        let changed = ModelRequest(model: "m", system: "", messages: [.user("task"), .user("step 9")])
        let error = try await #require(throws: ReplayError.self) { _ = try await replay.complete(changed) { _ in } }
        #expect(error.message.hasPrefix("turn 2 differs from the recording in x.jsonl: message 2 (user)"))
        #expect(error.message.contains("step 9") && error.message.contains("step 2"))

        let other = ReplayProvider(exchanges: exchanges, path: "x.jsonl")
        var wrongModel = exchanges[0].request
        wrongModel.model = "gpt-4o"
        let modelError = try await #require(throws: ReplayError.self) {
            _ = try await other.complete(wrongModel) { _ in }
        }
        #expect(
            modelError.message
                == "turn 1 differs from the recording in x.jsonl: model 'gpt-4o' but the recording used 'm'")

        let third = ReplayProvider(exchanges: exchanges, path: "x.jsonl")
        var emptyModel = exchanges[0].request
        emptyModel.model = ""
        #expect(try await third.complete(emptyModel) { _ in } == response)
    }

    @Test func recordedErrors_replayAsTheSameError() async throws {
        let path = Self.temporaryFile()
        defer { unlink(path) }
        let failure = ProviderError(kind: .httpStatus, message: "overloaded", httpStatus: 529, provider: "anthropic")
        let recorder = try RecordingProvider(FakeProvider([.failure(failure)]), path: path)
        await #expect(throws: failure) { _ = try await recorder.complete(Self.first) { _ in } }
        let replay = try ReplayProvider(path: path)
        await #expect(throws: failure) { _ = try await replay.complete(Self.first) { _ in } }
    }

    @Test func replay_badFile_namesTheLine() throws {
        let path = Self.temporaryFile()
        defer { unlink(path) }
        try Data("{\"v\":1}\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: ReplayError(message: "replay file \(path) line 1 is not a recorded exchange")) {
            try ReplayProvider(path: path)
        }
        #expect(throws: ReplayError.self) { try ReplayProvider(path: path + ".missing") }
    }
}
