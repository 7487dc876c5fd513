import Memory

/// Decodes a Messages API event stream.
///
/// ```
/// event: message_start        data: {"type":"message_start","message":{"model":…,"usage":{"input_tokens":…,
///                                    "cache_creation_input_tokens":…,"cache_read_input_tokens":…,"output_tokens":1}}}
/// event: content_block_start  data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}
/// event: ping                 data: {"type":"ping"}
/// event: content_block_delta  data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}
/// event: content_block_stop   data: {"type":"content_block_stop","index":0}
/// event: content_block_start  data: {…,"index":1,"content_block":{"type":"tool_use","id":"toolu_…","name":"f","input":{}}}
/// event: content_block_delta  data: {…,"index":1,"delta":{"type":"input_json_delta","partial_json":"{\"a\":"}}
/// event: content_block_stop   data: {"type":"content_block_stop","index":1}
/// event: message_delta        data: {"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":42}}
/// event: message_stop         data: {"type":"message_stop"}
/// event: error                data: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}
/// ```
/// Unknown event types and block types (thinking, server tools) are ignored, as the API asks. A stream
/// that ends before `message_stop` is ``ProviderError/Kind/truncatedStream``, never a short answer.
struct AnthropicStreamDecoder: StreamDecoder {
    private enum Block {
        case text(String)
        case tool(ToolCallAccumulator)
        case ignored
    }

    private var blocks: [Int: Block] = [:]
    private var model = ""
    private var usage = TokenUsage()
    private var stopReason: StopReason?
    private var isStopped = false

    mutating func consume(_ event: SSEEvent) throws(ProviderError) -> [ModelStreamEvent] {
        let json: JSONValue
        do {
            json = try JSONValue.parse(event.data)
        } catch {
            throw ProviderError(
                kind: .invalidResponse, message: "malformed \(event.event) event: \(error)", provider: "anthropic")
        }
        let type = json["type"]?.stringValue ?? event.event
        switch type {
        case "message_start":
            let message = json["message"] ?? [:]
            model = message["model"]?.stringValue ?? model
            merge(usage: message["usage"])
        case "content_block_start":
            guard let index = json["index"]?.intValue else { throw malformed(type) }
            let block = json["content_block"] ?? [:]
            switch block["type"]?.stringValue {
            case "text":
                let text = block["text"]?.stringValue ?? ""
                blocks[index] = .text(text)
                return text.isEmpty ? [] : [.textDelta(index: index, text: text)]
            case "tool_use":
                let id = block["id"]?.stringValue ?? ""
                let name = block["name"]?.stringValue ?? ""
                blocks[index] = .tool(ToolCallAccumulator(id: id, name: name))
                return [.toolCallStarted(index: index, id: id, name: name)]
            default:
                blocks[index] = .ignored
            }
        case "content_block_delta":
            guard let index = json["index"]?.intValue, let delta = json["delta"] else { throw malformed(type) }
            switch (blocks[index], delta["type"]?.stringValue) {
            case (.text(let text)?, "text_delta"):
                let piece = delta["text"]?.stringValue ?? ""
                blocks[index] = .text(text + piece)
                return [.textDelta(index: index, text: piece)]
            case (.tool(var call)?, "input_json_delta"):
                let piece = delta["partial_json"]?.stringValue ?? ""
                call.json += piece
                blocks[index] = .tool(call)
                return piece.isEmpty ? [] : [.toolCallDelta(index: index, json: piece)]
            case (nil, _):
                throw ProviderError(
                    kind: .invalidResponse, message: "content_block_delta for unknown block \(index)",
                    provider: "anthropic")
            default: break
            }
        case "message_delta":
            if let reason = json["delta"]?["stop_reason"]?.stringValue { stopReason = Self.stopReason(reason) }
            merge(usage: json["usage"])
        case "message_stop":
            isStopped = true
        case "ping":
            return [.keepAlive]
        case "error":
            throw Self.streamError(json["error"] ?? [:])
        default:
            break
        }
        return []
    }

    func finish() throws(ProviderError) -> ModelResponse {
        guard isStopped else {
            throw ProviderError(
                kind: .truncatedStream, message: "the response stream ended before message_stop", provider: "anthropic")
        }
        var content: [ContentBlock] = []
        for index in blocks.keys.sorted() {
            switch blocks[index]! {
            case .text(let text): if !text.isEmpty { content.append(.text(text)) }
            case .tool(let call): content.append(.toolUse(id: call.id, name: call.name, input: call.input))
            case .ignored: break
            }
        }
        return ModelResponse(content: content, stopReason: stopReason ?? .other, usage: usage, model: model)
    }

    private mutating func merge(usage json: JSONValue?) {
        guard let json else { return }
        if let value = json["input_tokens"]?.intValue { usage.inputTokens = value }
        if let value = json["output_tokens"]?.intValue { usage.outputTokens = value }
        if let value = json["cache_read_input_tokens"]?.intValue { usage.cacheReadTokens = value }
        if let value = json["cache_creation_input_tokens"]?.intValue { usage.cacheWriteTokens = value }
    }

    private func malformed(_ type: String) -> ProviderError {
        ProviderError(kind: .invalidResponse, message: "malformed \(type) event", provider: "anthropic")
    }

    static func stopReason(_ raw: String) -> StopReason {
        switch raw {
        case "end_turn": return .endTurn
        case "tool_use": return .toolUse
        case "max_tokens": return .maxTokens
        case "stop_sequence": return .stopSequence
        case "refusal": return .refusal
        default: return .other
        }
    }

    /// Maps an `error` event to the HTTP status the same error would have had as a response.
    static func streamError(_ error: JSONValue) -> ProviderError {
        let type = error["type"]?.stringValue ?? "error"
        let message = error["message"]?.stringValue ?? "stream error"
        let statuses: [String: Int] = [
            "invalid_request_error": 400, "authentication_error": 401, "billing_error": 402, "permission_error": 403,
            "not_found_error": 404, "request_too_large": 413, "rate_limit_error": 429, "api_error": 500,
            "timeout_error": 504, "overloaded_error": 529,
        ]
        let status = statuses[type] ?? 500
        let kind: ProviderError.Kind =
            switch status {
            case 402: .quotaExhausted
            case 401, 403: .auth
            default: .httpStatus
            }
        return ProviderError(
            kind: kind, message: "error event mid-stream: \(type): \(message)", httpStatus: status,
            provider: "anthropic")
    }
}
