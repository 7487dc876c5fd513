import Foundation
import Memory

/// The Anthropic Messages API (`POST <base>/v1/messages`, `stream: true`).
///
/// Prompt caching: the stable prefix is marked with `cache_control: {"type":"ephemeral"}` — the last tool
/// definition (tools come first in the cached prefix), the system block, and the last block of the last
/// message (so the next turn of the same conversation reads the conversation so far from the cache). That
/// is three of the four breakpoints the API allows.
public struct AnthropicProvider: LLMProvider {
    /// The `anthropic-version` header.
    public static let apiVersion = "2023-06-01"

    public var name: String { "anthropic" }
    /// The resolved endpoint.
    public let endpoint: URL
    private let apiKey: String?
    private let client: HTTPStreamingClient

    /// Creates a provider.
    /// - Parameters:
    ///   - apiKey: sent as `x-api-key`; omitted when nil (a gateway that authenticates otherwise).
    ///   - baseURL: see ``ProviderEndpoint`` for the rule.
    ///   - client: timeouts.
    public init(
        apiKey: String?, baseURL: String = ProviderEndpoint.anthropicDefaultBase,
        client: HTTPStreamingClient = HTTPStreamingClient()
    ) throws(ProviderConfigurationError) {
        self.apiKey = apiKey
        self.endpoint = try ProviderEndpoint.anthropicMessages(base: baseURL)
        self.client = client
    }

    public func complete(_ request: ModelRequest, onEvent: @escaping @Sendable (ModelStreamEvent) -> Void)
        async throws -> ModelResponse
    {
        var headers: [(name: String, value: String)] = [
            ("content-type", "application/json"), ("accept", "text/event-stream"),
            ("anthropic-version", Self.apiVersion),
        ]
        if let apiKey, !apiKey.isEmpty { headers.append(("x-api-key", apiKey)) }
        let http = HTTPStreamingRequest(
            url: endpoint, headers: headers, body: Self.requestBody(for: request).serializedBytes())
        return try await performStreaming(
            http, client: client, decoder: AnthropicStreamDecoder(), provider: name,
            keyVariable: "ANTHROPIC_API_KEY", secrets: [apiKey], onEvent: onEvent)
    }

    /// The JSON body for `request`.
    public static func requestBody(for request: ModelRequest) -> JSONValue {
        let ephemeral: JSONValue = ["type": "ephemeral"]
        var body: JSONObject = ["model": .string(request.model), "max_tokens": .from(request.maxTokens)]
        if !request.system.isEmpty {
            body["system"] = [["type": "text", "text": .string(request.system), "cache_control": ephemeral]]
        }
        var messages = request.messages.map { message -> JSONValue in
            ["role": .string(message.role.rawValue), "content": .array(message.content.map(blockJSON))]
        }
        if var last = messages.last?.objectValue, var blocks = last["content"]?.arrayValue,
            var lastBlock = blocks.last?.objectValue
        {
            lastBlock["cache_control"] = ephemeral
            blocks[blocks.count - 1] = .object(lastBlock)
            last["content"] = .array(blocks)
            messages[messages.count - 1] = .object(last)
        }
        body["messages"] = .array(messages)
        if !request.tools.isEmpty {
            var tools = request.tools.map { tool -> JSONValue in
                [
                    "name": .string(tool.name), "description": .string(tool.description),
                    "input_schema": tool.inputSchema,
                ]
            }
            if case .object(var last) = tools[tools.count - 1] {
                last["cache_control"] = ephemeral
                tools[tools.count - 1] = .object(last)
            }
            body["tools"] = .array(tools)
        }
        if let temperature = request.temperature { body["temperature"] = .double(temperature) }
        body["stream"] = true
        return .object(body)
    }

    private static func blockJSON(_ block: ContentBlock) -> JSONValue {
        switch block {
        case .text(let text): return ["type": "text", "text": .string(text)]
        case .toolUse(let id, let name, let input):
            // The API wants an object; malformed arguments kept as a string travel wrapped.
            let object: JSONValue = input.objectValue != nil ? input : ["value": input]
            return ["type": "tool_use", "id": .string(id), "name": .string(name), "input": object]
        case .toolResult(let id, let content, let isError):
            var object: JSONObject = ["type": "tool_result", "tool_use_id": .string(id), "content": .string(content)]
            if isError { object["is_error"] = true }
            return .object(object)
        }
    }
}
