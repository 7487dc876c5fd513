import Memory

/// One message of a model conversation, provider-neutral (Anthropic content blocks map 1:1; OpenAI
/// Chat Completions messages are derived from it).
public struct ModelMessage: Sendable, Equatable {
    /// Who said it.
    public enum Role: String, Sendable { case user, assistant }

    /// `user` or `assistant`; tool results travel in a `user` message, as in the Messages API.
    public var role: Role
    /// The blocks, in order.
    public var content: [ContentBlock]

    /// Creates a message.
    public init(role: Role, content: [ContentBlock]) {
        self.role = role
        self.content = content
    }

    /// A user message with one text block.
    public static func user(_ text: String) -> ModelMessage { ModelMessage(role: .user, content: [.text(text)]) }
}

/// A block of message content.
public enum ContentBlock: Sendable, Equatable {
    /// Plain text.
    case text(String)
    /// The model asks to call a tool; `input` is the parsed JSON arguments.
    case toolUse(id: String, name: String, input: JSONValue)
    /// The result of a tool call, sent back to the model.
    case toolResult(toolUseID: String, content: String, isError: Bool)
}

/// A tool the model may call: its name, what it does, and a JSON Schema for its input.
public struct ToolDefinition: Sendable, Equatable {
    /// `read_file`, `run_shell`, …
    public var name: String
    /// What the tool does and when to use it (the model reads this).
    public var description: String
    /// JSON Schema of the input object.
    public var inputSchema: JSONValue

    /// Creates a definition.
    public init(name: String, description: String, inputSchema: JSONValue) {
        self.name = name
        self.description = description
        self.inputSchema = inputSchema
    }
}

/// One request to a model.
public struct ModelRequest: Sendable, Equatable {
    /// The provider's model name.
    public var model: String
    /// The system prompt (the stable prefix: Anthropic caches it with `cache_control`).
    public var system: String
    /// The conversation so far.
    public var messages: [ModelMessage]
    /// Tools offered.
    public var tools: [ToolDefinition]
    /// The output cap.
    public var maxTokens: Int
    /// Sampling temperature, when set.
    public var temperature: Double?

    /// Creates a request.
    public init(
        model: String, system: String, messages: [ModelMessage], tools: [ToolDefinition] = [], maxTokens: Int = 4096,
        temperature: Double? = nil
    ) {
        self.model = model
        self.system = system
        self.messages = messages
        self.tools = tools
        self.maxTokens = maxTokens
        self.temperature = temperature
    }
}

/// Token usage of one request.
public struct TokenUsage: Sendable, Equatable {
    public var inputTokens = 0
    public var outputTokens = 0
    /// Prompt tokens read from the provider's cache.
    public var cacheReadTokens = 0
    /// Prompt tokens written to the provider's cache.
    public var cacheWriteTokens = 0

    /// Creates usage figures.
    public init(inputTokens: Int = 0, outputTokens: Int = 0, cacheReadTokens: Int = 0, cacheWriteTokens: Int = 0) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.cacheReadTokens = cacheReadTokens
        self.cacheWriteTokens = cacheWriteTokens
    }

    /// Component-wise sum.
    public static func + (a: TokenUsage, b: TokenUsage) -> TokenUsage {
        TokenUsage(
            inputTokens: a.inputTokens + b.inputTokens, outputTokens: a.outputTokens + b.outputTokens,
            cacheReadTokens: a.cacheReadTokens + b.cacheReadTokens, cacheWriteTokens: a.cacheWriteTokens + b.cacheWriteTokens)
    }
}

/// Why the model stopped.
public enum StopReason: String, Sendable, Equatable {
    case endTurn = "end_turn", toolUse = "tool_use", maxTokens = "max_tokens", stopSequence = "stop_sequence"
    case refusal, other
}

/// A complete model response.
public struct ModelResponse: Sendable, Equatable {
    /// Text and tool calls, in order.
    public var content: [ContentBlock]
    /// Why generation stopped.
    public var stopReason: StopReason
    /// Usage of this request.
    public var usage: TokenUsage
    /// The model that answered, as the provider reported it.
    public var model: String

    /// Creates a response.
    public init(content: [ContentBlock], stopReason: StopReason, usage: TokenUsage, model: String) {
        self.content = content
        self.stopReason = stopReason
        self.usage = usage
        self.model = model
    }
}

/// Incremental output while a response streams (for `item.delta` events and heartbeats).
public enum ModelStreamEvent: Sendable, Equatable {
    /// Text arrived for content block `index`.
    case textDelta(index: Int, text: String)
    /// A tool call began.
    case toolCallStarted(index: Int, id: String, name: String)
    /// A fragment of a tool call's JSON arguments arrived.
    case toolCallDelta(index: Int, json: String)
    /// The stream is alive (a ping, or any bytes) but produced nothing to show.
    case keepAlive
}

/// A model provider: one streamed request at a time; retries live outside (``RetryingProvider``).
public protocol LLMProvider: Sendable {
    /// `anthropic`, `openai`, `replay`.
    var name: String { get }
    /// Sends `request` and returns the complete response, reporting progress through `onEvent`.
    /// - Throws: ``ProviderError``; `CancellationError` when the task is cancelled.
    func complete(_ request: ModelRequest, onEvent: @escaping @Sendable (ModelStreamEvent) -> Void) async throws
        -> ModelResponse
}
