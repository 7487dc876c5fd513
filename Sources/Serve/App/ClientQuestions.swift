import Memory
import Phases
import Synchronization

/// Questions a run asks its session's clients: approvals of tool calls the rules denied, and `ask_human`
/// questions. Each is emitted as an `item.completed` of kind `question` (with `options` `allow` / `deny` for
/// approvals) and waits for `permission.respond` or `answer` from any connection of the run's session.
final class ClientQuestions: ApprovalChannel, HumanChannel {
    private struct State {
        var emitter: EventEmitter?
        var pending: [String: CheckedContinuation<String?, Never>] = [:]
        /// Questions that expired or were cancelled before their continuation was registered.
        var expired: Set<String> = []
        var counter = 0
    }

    private let state = Mutex(State())
    /// How long a question waits before the run goes on without an answer.
    let timeout: Duration

    init(timeout: Duration = .seconds(600)) { self.timeout = timeout }

    /// Connects the run's emitter (set once the run is registered).
    func attach(_ emitter: EventEmitter) { state.withLock { $0.emitter = emitter } }

    func requestApproval(_ request: ApprovalRequest) async throws -> ApprovalAnswer {
        let subject = request.command.map { "`\($0)`" } ?? request.path.map { "`\($0)`" } ?? request.tool
        let text = "Allow \(request.tool) \(subject)? \(request.reason)"
        guard let answer = try await ask(text: text, options: ["allow", "deny"], prefix: "approval") else { return .unavailable }
        return answer == "allow" ? .approved : .denied(reason: "a client denied it")
    }

    func ask(_ question: HumanQuestion) async throws -> HumanReply {
        guard let answer = try await ask(text: question.text, options: question.options, prefix: "question") else {
            return .declined(reason: "No client answered within \(timeout). Decide yourself and state your assumption.")
        }
        return .answered(answer, source: "client")
    }

    /// Resolves a pending question; false when none has that id.
    func resolve(_ id: String, with answer: String) -> Bool {
        let continuation = state.withLock { $0.pending.removeValue(forKey: id) }
        continuation?.resume(returning: answer)
        return continuation != nil
    }

    /// Emits the question and waits for its answer, the timeout, or cancellation (then nil).
    private func ask(text: String, options: [String], prefix: String) async throws -> String? {
        let (id, emitter) = state.withLock { state -> (String, EventEmitter?) in
            state.counter += 1
            return ("\(prefix)-\(state.counter)", state.emitter)
        }
        var item: JSONObject = ["id": .string(id), "kind": "question", "text": .string(text), "answered": false]
        if !options.isEmpty { item["options"] = .from(options) }
        emitter?.emit(.itemCompleted, phase: .implementation, ["item": .object(item)])
        let timer = Task { [timeout] in
            try? await Task.sleep(for: timeout)
            _ = self.resolveMissing(id)
        }
        defer { timer.cancel() }
        let answer: String? = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let expired = state.withLock { state in
                    if state.expired.remove(id) != nil || Task.isCancelled { return true }
                    state.pending[id] = continuation
                    return false
                }
                if expired { continuation.resume(returning: nil) }
            }
        } onCancel: {
            _ = self.resolveMissing(id)
        }
        try Task.checkCancellation()
        var done: JSONObject = ["id": .string(id), "kind": "question", "text": .string(text), "answer": .from(answer), "answered": .bool(answer != nil)]
        if !options.isEmpty { done["options"] = .from(options) }
        emitter?.emit(.itemCompleted, phase: .implementation, ["item": .object(done)])
        return answer
    }

    private func resolveMissing(_ id: String) -> Bool {
        let continuation = state.withLock { state in
            let continuation = state.pending.removeValue(forKey: id)
            if continuation == nil { state.expired.insert(id) }
            return continuation
        }
        continuation?.resume(returning: nil)
        return continuation != nil
    }
}
