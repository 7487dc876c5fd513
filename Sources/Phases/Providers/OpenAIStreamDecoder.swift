import Memory

/// Decodes a Chat Completions chunk stream.
///
/// ```
/// data: {"id":"chatcmpl-1","model":"gpt-4o-mini","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}
/// data: {…,"choices":[{"index":0,"delta":{"content":"Hel"},"finish_reason":null}]}
/// data: {…,"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function",
///                                          "function":{"name":"read_file","arguments":""}}]},"finish_reason":null}]}
/// data: {…,"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"pa"}}]},…}]}
/// data: {…,"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}
/// data: {…,"choices":[],"usage":{"prompt_tokens":9,"completion_tokens":12,"prompt_tokens_details":{"cached_tokens":0}}}
/// data: [DONE]
/// ```
/// Text is block 0 of the stream events; the tool call with `index` i is block i + 1. Usage is normalized
/// to the Anthropic meaning: `inputTokens` excludes the cached prompt tokens, which are `cacheReadTokens`.
/// A stream that ends without a `finish_reason` or without `[DONE]` is ``ProviderError/Kind/truncatedStream``.
/// A `{"error":{…}}` chunk (OpenRouter, vLLM report mid-stream failures so) is a ``ProviderError``.
struct OpenAIStreamDecoder: StreamDecoder {
    private var text = ""
    private var calls: [Int: ToolCallAccumulator] = [:]
    private var startedCalls: Set<Int> = []
    private var model = ""
    private var usage = TokenUsage()
    private var finishReason: String?
    private var isDone = false

    mutating func consume(_ event: SSEEvent) throws(ProviderError) -> [ModelStreamEvent] {
        let data = event.data.trimmingWhitespace()
        if data == "[DONE]" {
            isDone = true
            return []
        }
        if data.isEmpty { return [.keepAlive] }
        let json: JSONValue
        do {
            json = try JSONValue.parse(data)
        } catch {
            throw ProviderError(kind: .invalidResponse, message: "malformed chunk: \(error)", provider: "openai")
        }
        if let error = json["error"], error != .null { throw Self.streamError(error) }
        if let value = json["model"]?.stringValue, !value.isEmpty { model = value }
        if let usage = json["usage"], usage != .null { merge(usage: usage) }
        guard let choice = json["choices"]?.arrayValue?.first else { return [] }
        var events: [ModelStreamEvent] = []
        if let delta = choice["delta"] {
            if let piece = delta["content"]?.stringValue, !piece.isEmpty {
                text += piece
                events.append(.textDelta(index: 0, text: piece))
            }
            for (position, fragment) in (delta["tool_calls"]?.arrayValue ?? []).enumerated() {
                events += consume(toolCall: fragment, position: position)
            }
        }
        if let reason = choice["finish_reason"]?.stringValue { finishReason = reason }
        return events
    }

    private mutating func consume(toolCall fragment: JSONValue, position: Int) -> [ModelStreamEvent] {
        let id = fragment["id"]?.stringValue
        var index = fragment["index"]?.intValue ?? position
        if fragment["index"] == nil, let id, let known = calls.first(where: { $0.value.id == id })?.key {
            index = known
        }
        var call = calls[index] ?? ToolCallAccumulator(id: "", name: "")
        if let id, !id.isEmpty { call.id = id }
        let function = fragment["function"]
        if let name = function?["name"]?.stringValue, !name.isEmpty {
            if call.name.isEmpty { call.name = name }
        }
        let arguments = function?["arguments"].flatMap { $0.stringValue ?? $0.serialized() } ?? ""
        call.json += arguments
        var events: [ModelStreamEvent] = []
        let block = index + 1
        if !startedCalls.contains(index), !call.name.isEmpty {
            startedCalls.insert(index)
            if call.id.isEmpty { call.id = "call_\(index)" }
            events.append(.toolCallStarted(index: block, id: call.id, name: call.name))
            if !call.json.isEmpty { events.append(.toolCallDelta(index: block, json: call.json)) }
        } else if startedCalls.contains(index), !arguments.isEmpty {
            events.append(.toolCallDelta(index: block, json: arguments))
        }
        calls[index] = call
        return events
    }

    func finish() throws(ProviderError) -> ModelResponse {
        guard let finishReason else {
            throw ProviderError(
                kind: .truncatedStream, message: "the response stream ended without a finish_reason",
                provider: "openai")
        }
        guard isDone else {
            throw ProviderError(
                kind: .truncatedStream, message: "the response stream ended before data: [DONE]", provider: "openai")
        }
        var content: [ContentBlock] = text.isEmpty ? [] : [.text(text)]
        for index in calls.keys.sorted() {
            let call = calls[index]!
            content.append(
                .toolUse(id: call.id.isEmpty ? "call_\(index)" : call.id, name: call.name, input: call.input))
        }
        var stop: StopReason
        switch finishReason {
        case "stop": stop = .endTurn
        case "tool_calls", "function_call": stop = .toolUse
        case "length": stop = .maxTokens
        case "content_filter": stop = .refusal
        default: stop = .other
        }
        // Some local servers say "stop" while returning tool calls; the calls are what matters.
        if !calls.isEmpty, stop == .endTurn { stop = .toolUse }
        return ModelResponse(content: content, stopReason: stop, usage: usage, model: model)
    }

    private mutating func merge(usage json: JSONValue) {
        let prompt = json["prompt_tokens"]?.intValue ?? 0
        let cached = json["prompt_tokens_details"]?["cached_tokens"]?.intValue ?? 0
        usage.inputTokens = max(0, prompt - cached)
        usage.cacheReadTokens = cached
        usage.outputTokens = json["completion_tokens"]?.intValue ?? 0
    }

    static func streamError(_ error: JSONValue) -> ProviderError {
        let message = error["message"]?.stringValue ?? error.stringValue ?? "stream error"
        let code = error["code"]
        let status = code?.intValue ?? (error["type"]?.stringValue == "server_error" ? 500 : nil)
        let text = (code?.stringValue ?? error["type"]?.stringValue).map { "\($0): \(message)" } ?? message
        let lowered = text.lowercased()
        let kind: ProviderError.Kind = lowered.contains("quota") ? .quotaExhausted : .httpStatus
        return ProviderError(
            kind: kind, message: "error mid-stream: \(text)", httpStatus: status ?? 500, provider: "openai")
    }
}
