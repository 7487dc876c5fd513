import Foundation
import Memory

/// OpenAI Chat Completions (`POST <base>/chat/completions`, `stream: true`,
/// `stream_options: {"include_usage": true}`), which also speaks to OpenRouter, Ollama, vLLM, llama.cpp
/// server and LM Studio through a base URL.
///
/// Mapping from the neutral messages: the system prompt becomes a `system` message; a user message's tool
/// results become `tool` messages (`tool_call_id`, placed first, since they must follow the assistant's
/// `tool_calls`) and its text one `user` message; an assistant message becomes `content` plus
/// `tool_calls` (`arguments` as a JSON string). The output cap is `max_completion_tokens` on
/// api.openai.com (the o-series refuses `max_tokens`) and `max_tokens` elsewhere.
public struct OpenAIProvider: LLMProvider {
    public var name: String { "openai" }
    /// The resolved endpoint.
    public let endpoint: URL
    private let apiKey: String?
    private let client: HTTPStreamingClient

    /// Creates a provider.
    /// - Parameters:
    ///   - apiKey: sent as `Authorization: Bearer …`; no header at all when nil or empty.
    ///   - baseURL: see ``ProviderEndpoint`` for the rule.
    ///   - client: timeouts.
    public init(
        apiKey: String?, baseURL: String = ProviderEndpoint.openAIDefaultBase,
        client: HTTPStreamingClient = HTTPStreamingClient()
    ) throws(ProviderConfigurationError) {
        self.apiKey = apiKey
        self.endpoint = try ProviderEndpoint.openAIChatCompletions(base: baseURL)
        self.client = client
    }

    public func complete(_ request: ModelRequest, onEvent: @escaping @Sendable (ModelStreamEvent) -> Void)
        async throws -> ModelResponse
    {
        var headers: [(name: String, value: String)] = [
            ("content-type", "application/json"), ("accept", "text/event-stream"),
        ]
        if let apiKey, !apiKey.isEmpty { headers.append(("authorization", "Bearer \(apiKey)")) }
        let isOfficial = endpoint.host?.lowercased() == "api.openai.com"
        let body = Self.requestBody(for: request, usesMaxCompletionTokens: isOfficial)
        let http = HTTPStreamingRequest(url: endpoint, headers: headers, body: body.serializedBytes())
        return try await performStreaming(
            http, client: client, decoder: OpenAIStreamDecoder(), provider: name, keyVariable: "OPENAI_API_KEY",
            secrets: [apiKey], onEvent: onEvent)
    }

    /// The JSON body for `request`.
    public static func requestBody(for request: ModelRequest, usesMaxCompletionTokens: Bool = false) -> JSONValue {
        var messages: [JSONValue] = []
        if !request.system.isEmpty { messages.append(["role": "system", "content": .string(request.system)]) }
        for message in request.messages { messages.append(contentsOf: messagesJSON(message)) }
        var body: JSONObject = ["model": .string(request.model), "messages": .array(messages)]
        if !request.tools.isEmpty {
            body["tools"] = .array(
                request.tools.map { tool in
                    [
                        "type": "function",
                        "function": [
                            "name": .string(tool.name), "description": .string(tool.description),
                            "parameters": tool.inputSchema,
                        ],
                    ]
                })
        }
        body[usesMaxCompletionTokens ? "max_completion_tokens" : "max_tokens"] = .from(request.maxTokens)
        if let temperature = request.temperature { body["temperature"] = .double(temperature) }
        body["stream"] = true
        body["stream_options"] = ["include_usage": true]
        return .object(body)
    }

    private static func messagesJSON(_ message: ModelMessage) -> [JSONValue] {
        var text: [String] = []
        var toolCalls: [JSONValue] = []
        var toolResults: [JSONValue] = []
        for block in message.content {
            switch block {
            case .text(let value): text.append(value)
            case .toolUse(let id, let name, let input):
                let arguments = input.stringValue ?? input.serialized()
                toolCalls.append([
                    "id": .string(id), "type": "function",
                    "function": ["name": .string(name), "arguments": .string(arguments)],
                ])
            case .toolResult(let id, let content, let isError):
                toolResults.append([
                    "role": "tool", "tool_call_id": .string(id),
                    "content": .string(isError ? "Error: \(content)" : content),
                ])
            }
        }
        let joined = text.joined(separator: "\n\n")
        switch message.role {
        case .user:
            return toolResults + (text.isEmpty ? [] : [["role": "user", "content": .string(joined)]])
        case .assistant:
            var object: JSONObject = ["role": "assistant", "content": text.isEmpty ? .null : .string(joined)]
            if !toolCalls.isEmpty { object["tool_calls"] = .array(toolCalls) }
            return [.object(object)] + toolResults
        }
    }
}
