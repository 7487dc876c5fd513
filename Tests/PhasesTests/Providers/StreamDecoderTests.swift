import Memory
import Testing

@testable import Phases

/// Runs `body` through the SSE parser and `decoder` in `chunkSize`-byte pieces.
func decode<D: StreamDecoder>(_ body: String, with decoder: D, chunkSize: Int) throws -> (
    ModelResponse, [ModelStreamEvent]
) {
    var decoder = decoder
    var parser = SSEParser()
    var events: [ModelStreamEvent] = []
    let bytes = Array(body.utf8)
    var offset = 0
    while offset < bytes.count {
        let end = min(bytes.count, offset + chunkSize)
        for event in parser.feed(bytes[offset..<end]) { events += try decoder.consume(event) }
        offset = end
    }
    for event in parser.finish() { events += try decoder.consume(event) }
    return (try decoder.finish(), events)
}

@Suite struct AnthropicStreamDecoderTests {
    static let expectedContent: [ContentBlock] = [
        .text("Let me look — ✓"),
        .toolUse(id: "toolu_01T1x", name: "read_file", input: ["path": "Sources/main.swift", "lines": 40]),
    ]

    @Test(arguments: Array(1...40) + [97, 256, 100_000])
    func decode_accumulatesTextAndToolInput_inEveryChunking(chunkSize: Int) throws {
        let (response, events) = try decode(
            WireFixtures.anthropicToolUse, with: AnthropicStreamDecoder(), chunkSize: chunkSize)
        #expect(response.content == Self.expectedContent)
        #expect(response.stopReason == .toolUse)
        #expect(response.model == "claude-sonnet-4-5-20250929")
        #expect(
            response.usage
                == TokenUsage(inputTokens: 472, outputTokens: 89, cacheReadTokens: 3000, cacheWriteTokens: 1200))
        #expect(
            events == [
                .keepAlive, .textDelta(index: 0, text: "Let me "), .textDelta(index: 0, text: "look — ✓"),
                .toolCallStarted(index: 1, id: "toolu_01T1x", name: "read_file"),
                .toolCallDelta(index: 1, json: "{\"path\": \"Sou"),
                .toolCallDelta(index: 1, json: "rces/main.swift\", \"lines\": 40}"),
            ])
    }

    @Test func decode_withoutMessageStop_isATruncatedStream() {
        #expect {
            _ = try decode(WireFixtures.anthropicTruncated, with: AnthropicStreamDecoder(), chunkSize: 7)
        } throws: { error in
            (error as? ProviderError)?.kind == .truncatedStream && (error as? ProviderError)?.isRetryable == true
        }
    }

    @Test func decode_errorEventMidStream_isARetryable529() {
        #expect {
            _ = try decode(WireFixtures.anthropicOverloadedMidStream, with: AnthropicStreamDecoder(), chunkSize: 5)
        } throws: { error in
            guard let error = error as? ProviderError else { return false }
            return error.httpStatus == 529 && error.isRetryable && error.message.contains("overloaded_error")
        }
    }

    @Test func decode_billingErrorEvent_isQuotaExhausted() {
        let body = WireFixtures.event("error", #"{"type":"error","error":{"type":"billing_error","message":"credit"}}"#)
        #expect {
            _ = try decode(body, with: AnthropicStreamDecoder(), chunkSize: 1000)
        } throws: { error in
            (error as? ProviderError)?.kind == .quotaExhausted && (error as? ProviderError)?.isRetryable == false
        }
    }
}

@Suite struct OpenAIStreamDecoderTests {
    @Test(arguments: Array(1...40) + [113, 1000, 100_000])
    func decode_assemblesToolCallFragmentsByIndex_inEveryChunking(chunkSize: Int) throws {
        let (response, events) = try decode(
            WireFixtures.openAIToolCalls, with: OpenAIStreamDecoder(), chunkSize: chunkSize)
        #expect(
            response.content == [
                .text("Checking."), .toolUse(id: "call_abc", name: "read_file", input: ["path": "a.swift"]),
                .toolUse(id: "call_def", name: "list_dir", input: [:]),
            ])
        #expect(response.stopReason == .toolUse)
        #expect(response.model == "gpt-4o-mini-2024-07-18")
        #expect(response.usage == TokenUsage(inputTokens: 176, outputTokens: 40, cacheReadTokens: 1024))
        #expect(
            events == [
                .textDelta(index: 0, text: "Checking."), .toolCallStarted(index: 1, id: "call_abc", name: "read_file"),
                .toolCallDelta(index: 1, json: "{\"pa"), .toolCallDelta(index: 1, json: "th\": \"a.swift\"}"),
                .toolCallStarted(index: 2, id: "call_def", name: "list_dir"), .toolCallDelta(index: 2, json: "{}"),
            ])
    }

    @Test(arguments: [("stop", StopReason.endTurn), ("length", .maxTokens), ("content_filter", .refusal)])
    func decode_mapsFinishReasons(reason: String, expected: StopReason) throws {
        let body =
            WireFixtures.chunk(#"[{"index":0,"delta":{"content":"x"},"finish_reason":"\#(reason)"}]"#)
            + "data: [DONE]\n\n"
        #expect(try decode(body, with: OpenAIStreamDecoder(), chunkSize: 9).0.stopReason == expected)
    }

    @Test func decode_withoutDone_orWithoutFinishReason_isTruncated() {
        #expect {
            _ = try decode(WireFixtures.openAITruncated, with: OpenAIStreamDecoder(), chunkSize: 3)
        } throws: { ($0 as? ProviderError)?.kind == .truncatedStream }
        let noFinish =
            WireFixtures.chunk(#"[{"index":0,"delta":{"content":"x"},"finish_reason":null}]"#) + "data: [DONE]\n\n"
        #expect {
            _ = try decode(noFinish, with: OpenAIStreamDecoder(), chunkSize: 3)
        } throws: { ($0 as? ProviderError)?.kind == .truncatedStream }
    }

    @Test func decode_localServerStyle_wholeCallInOneChunkWithoutIndexOrID() throws {
        let body =
            WireFixtures.chunk(
                #"[{"index":0,"delta":{"role":"assistant","content":null,"tool_calls":[{"type":"function","function":{"name":"grep","arguments":"{\"q\":\"x\"}"}}]},"finish_reason":"stop"}]"#
            ) + "data: [DONE]\n\n"
        let (response, _) = try decode(body, with: OpenAIStreamDecoder(), chunkSize: 1000)
        #expect(response.content == [.toolUse(id: "call_0", name: "grep", input: ["q": "x"])])
        #expect(response.stopReason == .toolUse)
    }

    @Test func decode_malformedArguments_areKeptAsAString() throws {
        let body =
            WireFixtures.chunk(
                #"[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"c","function":{"name":"f","arguments":"{oops"}}]},"finish_reason":"tool_calls"}]"#
            ) + "data: [DONE]\n\n"
        #expect(
            try decode(body, with: OpenAIStreamDecoder(), chunkSize: 1000).0.content == [
                .toolUse(id: "c", name: "f", input: "{oops")
            ])
    }

    @Test func decode_errorChunk_isAProviderError() {
        let body = #"data: {"error":{"message":"upstream failed","code":502}}"# + "\n\n"
        #expect {
            _ = try decode(body, with: OpenAIStreamDecoder(), chunkSize: 1000)
        } throws: { ($0 as? ProviderError)?.httpStatus == 502 && ($0 as? ProviderError)?.isRetryable == true }
    }
}
