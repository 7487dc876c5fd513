import Memory
import Phases
import Synchronization

/// A fake model: answers request N with scripted response N and keeps the requests it saw.
/// Shared by the test targets (not part of the product).
public final class ScriptedProvider: LLMProvider {
    public let name = "scripted"
    private let responses: [ModelResponse]
    private let state = Mutex<[ModelRequest]>([])

    public init(_ responses: [ModelResponse]) { self.responses = responses }

    public var requests: [ModelRequest] { state.withLock { $0 } }

    public func complete(_ request: ModelRequest, onEvent: @escaping @Sendable (ModelStreamEvent) -> Void) async throws -> ModelResponse {
        let index = state.withLock { requests in
            requests.append(request)
            return requests.count - 1
        }
        guard index < responses.count else {
            throw ProviderError(kind: .invalidResponse, message: "the script has no response \(index + 1)", provider: name)
        }
        let response = responses[index]
        for case .text(let text) in response.content { onEvent(.textDelta(index: 0, text: text)) }
        return response
    }

    /// A text answer.
    public static func say(_ text: String) -> ModelResponse {
        ModelResponse(content: [.text(text)], stopReason: .endTurn, usage: TokenUsage(inputTokens: 1000, outputTokens: 50), model: "scripted-1")
    }

    /// A tool call.
    public static func call(_ name: String, _ input: JSONValue, id: String) -> ModelResponse {
        ModelResponse(
            content: [.text("Calling \(name)."), .toolUse(id: id, name: name, input: input)], stopReason: .toolUse,
            usage: TokenUsage(inputTokens: 1200, outputTokens: 80), model: "scripted-1")
    }
}
