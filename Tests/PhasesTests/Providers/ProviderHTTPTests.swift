import Memory
import Testing
import TestSupport

@testable import Phases

/// Providers against the scripted local server: real sockets, the real transport (libcurl on Linux, URLSession elsewhere), real wire formats.
@Suite(.timeLimit(.minutes(1))) struct ProviderHTTPTests {
    static let fakeKey = "sk-test-FAKEKEY-1234567890-do-not-leak"
    static let request = ModelRequest(
        model: "claude-sonnet-4-5", system: "You are raaid.",
        messages: [.user("Read main.swift")],
        tools: [
            ToolDefinition(name: "list_dir", description: "List a directory", inputSchema: ["type": "object"]),
            ToolDefinition(
                name: "read_file", description: "Read a file",
                inputSchema: ["type": "object", "properties": ["path": ["type": "string"]], "required": ["path"]]),
        ])

    static func anthropic(
        _ server: ScriptedHTTPServer, prefix: String = "",
        client: HTTPStreamingClient = HTTPStreamingClient(idleTimeout: 10, deadline: 20)
    ) throws -> AnthropicProvider {
        try AnthropicProvider(apiKey: fakeKey, baseURL: server.baseURL + prefix, client: client)
    }

    static func openAI(
        _ server: ScriptedHTTPServer, key: String? = fakeKey, prefix: String = "/v1",
        client: HTTPStreamingClient = HTTPStreamingClient(idleTimeout: 10, deadline: 20)
    ) throws -> OpenAIProvider {
        try OpenAIProvider(apiKey: key, baseURL: server.baseURL + prefix, client: client)
    }

    @Test func anthropic_streamsToolUse_overTinyChunks_andSendsTheDocumentedRequest() async throws {
        let server = try ScriptedHTTPServer([.sse(WireFixtures.anthropicToolUse, chunk: 3, delay: 0)])
        let events = Collector<ModelStreamEvent>()
        let response = try await Self.anthropic(server, prefix: "/anthropic/").complete(Self.request) {
            events.append($0)
        }
        #expect(response.content == AnthropicStreamDecoderTests.expectedContent)
        #expect(response.usage.cacheReadTokens == 3000)
        #expect(events.values.contains(.toolCallStarted(index: 1, id: "toolu_01T1x", name: "read_file")))

        let seen = try #require(server.requests.first)
        #expect(seen.method == "POST")
        #expect(seen.path == "/anthropic/v1/messages")
        #expect(seen.headers["x-api-key"] == Self.fakeKey)
        #expect(seen.headers["anthropic-version"] == "2023-06-01")
        #expect(seen.headers["authorization"] == nil)
        let body = try #require(seen.json)
        #expect(body["stream"] == true)
        #expect(body["max_tokens"] == 4096)
        #expect(
            body["system"]
                == [["type": "text", "text": "You are raaid.", "cache_control": ["type": "ephemeral"]]])
        let tools = try #require(body["tools"]?.arrayValue)
        #expect(tools.count == 2)
        #expect(tools[0]["cache_control"] == nil)
        #expect(tools[1]["cache_control"] == ["type": "ephemeral"])
        #expect(tools[1]["input_schema"]?["required"] == ["path"])
        #expect(
            body["messages"]
                == [
                    [
                        "role": "user",
                        "content": [
                            ["type": "text", "text": "Read main.swift", "cache_control": ["type": "ephemeral"]]
                        ],
                    ]
                ])
    }

    @Test func openAI_streamsToolCalls_andSendsTheDocumentedRequest() async throws {
        let server = try ScriptedHTTPServer([.sse(WireFixtures.openAIToolCalls, chunk: 5, delay: 0)])
        var request = Self.request
        request.model = "gpt-4o-mini"
        request.messages += [
            ModelMessage(
                role: .assistant,
                content: [.text("Reading."), .toolUse(id: "call_1", name: "read_file", input: ["path": "a.swift"])]),
            ModelMessage(
                role: .user,
                content: [.toolResult(toolUseID: "call_1", content: "no such file", isError: true), .text("Go on")]),
        ]
        let response = try await Self.openAI(server).complete(request) { _ in }
        #expect(response.stopReason == .toolUse)
        #expect(response.content.count == 3)

        let seen = try #require(server.requests.first)
        #expect(seen.path == "/v1/chat/completions")
        #expect(seen.headers["authorization"] == "Bearer \(Self.fakeKey)")
        let body = try #require(seen.json)
        #expect(body["stream"] == true)
        #expect(body["stream_options"] == ["include_usage": true])
        #expect(body["max_tokens"] == 4096)
        #expect(
            body["tools"]?.arrayValue?.first
                == [
                    "type": "function",
                    "function": [
                        "name": "list_dir", "description": "List a directory", "parameters": ["type": "object"],
                    ],
                ])
        #expect(
            body["messages"]
                == [
                    ["role": "system", "content": "You are raaid."],
                    ["role": "user", "content": "Read main.swift"],
                    [
                        "role": "assistant", "content": "Reading.",
                        "tool_calls": [
                            [
                                "id": "call_1", "type": "function",
                                "function": ["name": "read_file", "arguments": #"{"path":"a.swift"}"#],
                            ]
                        ],
                    ],
                    ["role": "tool", "tool_call_id": "call_1", "content": "Error: no such file"],
                    ["role": "user", "content": "Go on"],
                ])
    }

    @Test func openAI_localServerWithoutKey_sendsNoAuthorization_andAddsV1ToABareHost() async throws {
        let server = try ScriptedHTTPServer([.sse(WireFixtures.openAIText("hi"))])
        let response = try await Self.openAI(server, key: nil, prefix: "").complete(Self.request) { _ in }
        #expect(response.content == [.text("hi")])
        let seen = try #require(server.requests.first)
        #expect(seen.path == "/v1/chat/completions")
        #expect(seen.headers["authorization"] == nil)
    }

    @Test func anthropic_401_isAuth_notRetried_andNeverShowsTheKey() async throws {
        let body =
            #"{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key \#(Self.fakeKey)"}}"#
        let server = try ScriptedHTTPServer([.json(status: 401, body), .sse(WireFixtures.anthropicText("no"))])
        let retries = Collector<Int>()
        let provider = RetryingProvider(
            try Self.anthropic(server), onRetry: { _, attempt, _ in retries.append(attempt) }, sleep: { _ in })
        let error = try await #require(throws: ProviderError.self) {
            _ = try await provider.complete(Self.request) { _ in }
        }
        #expect(error.kind == .auth && error.httpStatus == 401 && !error.isRetryable)
        #expect(error.description.contains("ANTHROPIC_API_KEY"))
        #expect(error.description.contains("authentication_error"))
        #expect(!error.description.contains(Self.fakeKey))
        #expect(!"\(error.jsonValue.serialized())".contains(Self.fakeKey))
        #expect(retries.values.isEmpty)
        #expect(server.requests.count == 1)
    }

    @Test(arguments: [
        (
            400,
            #"{"error":{"message":"Invalid schema for function 'x' (key sk-test-FAKEKEY-1234567890-do-not-leak)","type":"invalid_request_error","code":null}}"#,
            ProviderError.Kind.httpStatus
        ),
        (
            429,
            #"{"error":{"message":"You exceeded your current quota, please check your plan and billing details.","type":"insufficient_quota","code":"insufficient_quota"}}"#,
            .quotaExhausted
        ),
        (
            401,
            #"{"error":{"message":"Incorrect API key provided: sk-test-FAKEKEY-1234567890-do-not-leak.","type":"invalid_request_error","code":"invalid_api_key"}}"#,
            .auth
        ),
        (404, #"{"error":{"message":"The model does not exist"}}"#, .httpStatus),
    ])
    func openAI_clientErrors_areNotRetried_andNeverShowTheKey(status: Int, body: String, kind: ProviderError.Kind)
        async throws
    {
        let server = try ScriptedHTTPServer([.json(status: status, body), .sse(WireFixtures.openAIText("no"))])
        let provider = RetryingProvider(try Self.openAI(server), sleep: { _ in })
        let error = try await #require(throws: ProviderError.self) {
            _ = try await provider.complete(Self.request) { _ in }
        }
        #expect(error.kind == kind)
        #expect(error.httpStatus == status)
        #expect(!error.isRetryable)
        #expect(!error.description.contains(Self.fakeKey))
        #expect(server.requests.count == 1)
    }

    @Test func anthropic_billingErrorAs400_isQuotaExhausted() async throws {
        let body =
            #"{"type":"error","error":{"type":"invalid_request_error","message":"Your credit balance is too low to access the Anthropic API."}}"#
        let server = try ScriptedHTTPServer([.json(status: 400, body)])
        let error = try await #require(throws: ProviderError.self) {
            _ = try await Self.anthropic(server).complete(Self.request) { _ in }
        }
        #expect(error.kind == .quotaExhausted)
    }

    @Test func rateLimit429_withRetryAfter_thenSuccess() async throws {
        let server = try ScriptedHTTPServer([
            .json(
                status: 429, #"{"type":"error","error":{"type":"rate_limit_error","message":"slow down"}}"#,
                headers: ["retry-after": "2"]),
            .sse(WireFixtures.anthropicText("done")),
        ])
        let delays = Collector<Double>()
        let provider = RetryingProvider(
            try Self.anthropic(server),
            onRetry: { error, _, delay in
                #expect(error.httpStatus == 429)
                delays.append(delay)
            }, sleep: { _ in })
        let response = try await provider.complete(Self.request) { _ in }
        #expect(response.content == [.text("done")])
        #expect(delays.values == [2])
        #expect(server.requests.count == 2)
    }

    @Test func serverError500_thenSuccess() async throws {
        let server = try ScriptedHTTPServer([
            .json(status: 500, #"{"error":{"message":"The server had an error","type":"server_error"}}"#),
            .sse(WireFixtures.openAIText("fine")),
        ])
        let provider = RetryingProvider(try Self.openAI(server), sleep: { _ in }, jitter: { 0 })
        #expect(try await provider.complete(Self.request) { _ in }.content == [.text("fine")])
        #expect(server.requests.count == 2)
    }

    @Test func errorEventMidStream_isRetried_thenSucceeds() async throws {
        let server = try ScriptedHTTPServer([
            .sse(WireFixtures.anthropicOverloadedMidStream), .sse(WireFixtures.anthropicText("recovered")),
        ])
        let errors = Collector<Int>()
        let provider = RetryingProvider(
            try Self.anthropic(server), onRetry: { error, _, _ in errors.append(error.httpStatus ?? 0) },
            sleep: { _ in })
        #expect(try await provider.complete(Self.request) { _ in }.content == [.text("recovered")])
        #expect(errors.values == [529])
    }

    @Test func truncatedStreams_areErrors_forBothProviders() async throws {
        let anthropicServer = try ScriptedHTTPServer([.sse(WireFixtures.anthropicTruncated)])
        let a = try await #require(throws: ProviderError.self) {
            _ = try await Self.anthropic(anthropicServer).complete(Self.request) { _ in }
        }
        #expect(a.kind == .truncatedStream && a.isRetryable)
        let openAIServer = try ScriptedHTTPServer([.sse(WireFixtures.openAITruncated)])
        let o = try await #require(throws: ProviderError.self) {
            _ = try await Self.openAI(openAIServer).complete(Self.request) { _ in }
        }
        #expect(o.kind == .truncatedStream)
    }

    @Test func trickleThatOutlastsTheDeadline_failsWithDeadline() async throws {
        // One byte every 50 ms never trips the 5 s idle timeout (even on a loaded machine), but the whole answer
        // needs far more than the 2 s deadline.
        let server = try ScriptedHTTPServer([.sse(WireFixtures.anthropicToolUse, chunk: 1, delay: 0.05)])
        let client = HTTPStreamingClient(idleTimeout: 5, deadline: 2)
        let started = ContinuousClock.now
        let error = try await #require(throws: ProviderError.self) {
            _ = try await Self.anthropic(server, client: client).complete(Self.request) { _ in }
        }
        #expect(error.kind == .deadline)
        #expect(!error.isRetryable)
        #expect(ContinuousClock.now - started < .seconds(30), "the deadline, not the end of the trickle, stopped it")
    }

    @Test func silenceLongerThanTheIdleTimeout_failsWithTimeout() async throws {
        let server = try ScriptedHTTPServer([
            ScriptedHTTPServer.Response(
                headers: ["content-type": "text/event-stream"], steps: [.write(Array(": hi\n\n".utf8)), .pause(20)])
        ])
        // Generous margins: a loaded CI machine must not turn the idle timeout into another failure.
        let client = HTTPStreamingClient(idleTimeout: 0.5, deadline: 60)
        let error = try await #require(throws: ProviderError.self) {
            _ = try await Self.openAI(server, client: client).complete(Self.request) { _ in }
        }
        #expect(error.kind == .timeout && error.isRetryable)
    }

    @Test func cancellation_cancelsTheRequest() async throws {
        let server = try ScriptedHTTPServer([
            ScriptedHTTPServer.Response(
                headers: ["content-type": "text/event-stream"], steps: [.write(Array(": hi\n\n".utf8)), .pause(30)])
        ])
        let provider = try Self.openAI(server)
        let task = Task { try await provider.complete(Self.request) { _ in } }
        try await Task.sleep(for: .milliseconds(300))
        let started = ContinuousClock.now
        task.cancel()
        let result = await task.result
        #expect(throws: CancellationError.self) { try result.get() }
        #expect(ContinuousClock.now - started < .seconds(15), "well before the server's 30 s pause ends")
    }

    @Test func connectionRefused_isARetryableNetworkError() async throws {
        let server = try ScriptedHTTPServer([.sse("")])
        let base = server.baseURL
        server.stop()
        let provider = try OpenAIProvider(
            apiKey: nil, baseURL: base + "/v1", client: HTTPStreamingClient(idleTimeout: 5, deadline: 5))
        let error = try await #require(throws: ProviderError.self) {
            _ = try await provider.complete(Self.request) { _ in }
        }
        #expect(error.kind == .network && error.isRetryable)
    }
}
