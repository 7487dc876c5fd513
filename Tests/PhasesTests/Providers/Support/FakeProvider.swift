import Synchronization

@testable import Phases

/// A provider that answers from a script: each call takes the next outcome.
final class FakeProvider: LLMProvider {
    enum Outcome: Sendable {
        case response(ModelResponse, events: [ModelStreamEvent] = [])
        case failure(ProviderError)
    }

    let name = "fake"
    private let script: Mutex<[Outcome]>
    private let callCount = Mutex(0)

    init(_ script: [Outcome]) { self.script = Mutex(script) }

    var calls: Int { callCount.withLock { $0 } }

    func complete(_ request: ModelRequest, onEvent: @escaping @Sendable (ModelStreamEvent) -> Void) async throws
        -> ModelResponse
    {
        callCount.withLock { $0 += 1 }
        let next = script.withLock { $0.isEmpty ? nil : $0.removeFirst() }
        switch next {
        case .response(let response, let events)?:
            for event in events { onEvent(event) }
            return response
        case .failure(let error)?: throw error
        case nil: throw ProviderError(kind: .invalidResponse, message: "script exhausted")
        }
    }
}

/// Collects values from `@Sendable` callbacks.
final class Collector<Value: Sendable>: Sendable {
    private let storage = Mutex<[Value]>([])
    func append(_ value: Value) { storage.withLock { $0.append(value) } }
    var values: [Value] { storage.withLock { $0 } }
}
