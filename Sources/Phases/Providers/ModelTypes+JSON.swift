import Memory

// The provider-neutral JSON form of the model types, used by the record/replay file. It mirrors the
// Messages API shapes: `{"type":"text","text":…}`, `{"type":"tool_use","id","name","input"}`,
// `{"type":"tool_result","tool_use_id","content","is_error"}`.

extension ContentBlock {
    /// The neutral JSON form.
    public var jsonValue: JSONValue {
        switch self {
        case .text(let text): return ["type": "text", "text": .string(text)]
        case .toolUse(let id, let name, let input):
            return ["type": "tool_use", "id": .string(id), "name": .string(name), "input": input]
        case .toolResult(let id, let content, let isError):
            return [
                "type": "tool_result", "tool_use_id": .string(id), "content": .string(content),
                "is_error": .bool(isError),
            ]
        }
    }

    /// Reads the neutral JSON form.
    public init?(json: JSONValue) {
        switch json["type"]?.stringValue {
        case "text":
            guard let text = json["text"]?.stringValue else { return nil }
            self = .text(text)
        case "tool_use":
            guard let id = json["id"]?.stringValue, let name = json["name"]?.stringValue else { return nil }
            self = .toolUse(id: id, name: name, input: json["input"] ?? [:])
        case "tool_result":
            guard let id = json["tool_use_id"]?.stringValue else { return nil }
            self = .toolResult(
                toolUseID: id, content: json["content"]?.stringValue ?? "",
                isError: json["is_error"]?.boolValue ?? false)
        default: return nil
        }
    }
}

extension ModelMessage {
    /// The neutral JSON form.
    public var jsonValue: JSONValue {
        ["role": .string(role.rawValue), "content": .array(content.map(\.jsonValue))]
    }

    /// Reads the neutral JSON form.
    public init?(json: JSONValue) {
        guard let role = json["role"]?.stringValue.flatMap(Role.init(rawValue:)),
            let items = json["content"]?.arrayValue
        else { return nil }
        let blocks = items.compactMap(ContentBlock.init(json:))
        guard blocks.count == items.count else { return nil }
        self.init(role: role, content: blocks)
    }
}

extension ToolDefinition {
    /// The neutral JSON form.
    public var jsonValue: JSONValue {
        ["name": .string(name), "description": .string(description), "input_schema": inputSchema]
    }

    /// Reads the neutral JSON form.
    public init?(json: JSONValue) {
        guard let name = json["name"]?.stringValue else { return nil }
        self.init(
            name: name, description: json["description"]?.stringValue ?? "", inputSchema: json["input_schema"] ?? [:])
    }
}

extension ModelRequest {
    /// The neutral JSON form (no key, no headers, no endpoint: nothing secret).
    public var jsonValue: JSONValue {
        var object: JSONObject = [
            "model": .string(model), "system": .string(system), "messages": .array(messages.map(\.jsonValue)),
            "tools": .array(tools.map(\.jsonValue)), "max_tokens": .from(maxTokens),
        ]
        if let temperature { object["temperature"] = .double(temperature) }
        return .object(object)
    }

    /// Reads the neutral JSON form.
    public init?(json: JSONValue) {
        guard let model = json["model"]?.stringValue, let items = json["messages"]?.arrayValue else { return nil }
        let messages = items.compactMap(ModelMessage.init(json:))
        guard messages.count == items.count else { return nil }
        self.init(
            model: model, system: json["system"]?.stringValue ?? "", messages: messages,
            tools: (json["tools"]?.arrayValue ?? []).compactMap(ToolDefinition.init(json:)),
            maxTokens: json["max_tokens"]?.intValue ?? 4096, temperature: json["temperature"]?.doubleValue)
    }
}

extension TokenUsage {
    /// The neutral JSON form (the names of `turn.completed` usage).
    public var jsonValue: JSONValue {
        [
            "input_tokens": .from(inputTokens), "output_tokens": .from(outputTokens),
            "cache_read_tokens": .from(cacheReadTokens), "cache_write_tokens": .from(cacheWriteTokens),
        ]
    }

    /// Reads the neutral JSON form.
    public init(json: JSONValue) {
        self.init(
            inputTokens: json["input_tokens"]?.intValue ?? 0, outputTokens: json["output_tokens"]?.intValue ?? 0,
            cacheReadTokens: json["cache_read_tokens"]?.intValue ?? 0,
            cacheWriteTokens: json["cache_write_tokens"]?.intValue ?? 0)
    }
}

extension ModelResponse {
    /// The neutral JSON form.
    public var jsonValue: JSONValue {
        [
            "content": .array(content.map(\.jsonValue)), "stop_reason": .string(stopReason.rawValue),
            "usage": usage.jsonValue, "model": .string(model),
        ]
    }

    /// Reads the neutral JSON form.
    public init?(json: JSONValue) {
        guard let items = json["content"]?.arrayValue else { return nil }
        let content = items.compactMap(ContentBlock.init(json:))
        guard content.count == items.count else { return nil }
        self.init(
            content: content,
            stopReason: json["stop_reason"]?.stringValue.flatMap(StopReason.init(rawValue:)) ?? .other,
            usage: TokenUsage(json: json["usage"] ?? [:]), model: json["model"]?.stringValue ?? "")
    }
}

extension ModelStreamEvent {
    /// The neutral JSON form: `{"type":"text_delta","index","text"}`, `{"type":"tool_call_started","index","id","name"}`,
    /// `{"type":"tool_call_delta","index","json"}`, `{"type":"keep_alive"}`.
    public var jsonValue: JSONValue {
        switch self {
        case .textDelta(let index, let text):
            return ["type": "text_delta", "index": .from(index), "text": .string(text)]
        case .toolCallStarted(let index, let id, let name):
            return ["type": "tool_call_started", "index": .from(index), "id": .string(id), "name": .string(name)]
        case .toolCallDelta(let index, let json):
            return ["type": "tool_call_delta", "index": .from(index), "json": .string(json)]
        case .keepAlive: return ["type": "keep_alive"]
        }
    }

    /// Reads the neutral JSON form.
    public init?(json: JSONValue) {
        let index = json["index"]?.intValue ?? 0
        switch json["type"]?.stringValue {
        case "text_delta": self = .textDelta(index: index, text: json["text"]?.stringValue ?? "")
        case "tool_call_started":
            self = .toolCallStarted(
                index: index, id: json["id"]?.stringValue ?? "", name: json["name"]?.stringValue ?? "")
        case "tool_call_delta": self = .toolCallDelta(index: index, json: json["json"]?.stringValue ?? "")
        case "keep_alive": self = .keepAlive
        default: return nil
        }
    }
}

extension ProviderError {
    /// The JSON form kept in record files.
    public var jsonValue: JSONValue {
        [
            "kind": .string(kind.rawValue), "message": .string(message), "http_status": .from(httpStatus),
            "retry_after": .from(retryAfter), "provider": .string(provider),
        ]
    }

    /// Reads the JSON form.
    public init?(json: JSONValue) {
        guard let kind = json["kind"]?.stringValue.flatMap(Kind.init(rawValue:)) else { return nil }
        self.init(
            kind: kind, message: json["message"]?.stringValue ?? "", httpStatus: json["http_status"]?.intValue,
            retryAfter: json["retry_after"]?.doubleValue, provider: json["provider"]?.stringValue ?? "")
    }
}
