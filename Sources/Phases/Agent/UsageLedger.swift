import Memory
import Synchronization

/// Running totals of a run (turns, tokens, cost, denials) and the limit checks on them.
public final class UsageLedger: Sendable {
    private struct State {
        var turns = 0
        var turnsByPhase: [PhaseName: Int] = [:]
        var usage = TokenUsage()
        var costUSD = 0.0
        var costSource = "no_model"
        var denials = 0
        var filesChanged: [String] = []
    }

    private let state = Mutex(State())
    /// The limits checked.
    public let limits: RunLimits

    /// A ledger enforcing `limits`.
    public init(limits: RunLimits) { self.limits = limits }

    /// Throws ``LimitReached`` when another turn in `phase` would break a turn limit, or when tokens or cost
    /// are already over.
    func checkBeforeTurn(in phase: PhaseName) throws(LimitReached) {
        let snapshot = state.withLock { $0 }
        if let max = limits.maxTurns, snapshot.turns >= max {
            throw LimitReached(reason: .maxTurns, message: "the run used its \(max) model turns (--max-turns)")
        }
        if let max = limits.maxTurnsPerPhase, snapshot.turnsByPhase[phase, default: 0] >= max {
            throw LimitReached(
                reason: .maxTurns, message: "the \(phase.rawValue) phase used its \(max) model turns (--max-turns-per-phase)")
        }
        try checkSpend(snapshot)
    }

    /// Records one turn's usage and cost; throws ``LimitReached`` when that went over tokens or cost.
    func record(_ usage: TokenUsage, cost: (usd: Double?, source: String), in phase: PhaseName) throws(LimitReached) {
        let snapshot = state.withLock { state in
            state.turns += 1
            state.turnsByPhase[phase, default: 0] += 1
            state.usage = state.usage + usage
            state.costUSD += cost.usd ?? 0
            state.costSource = cost.usd == nil ? cost.source : (state.costSource == "unknown_model" ? state.costSource : cost.source)
            return state
        }
        try checkSpend(snapshot)
    }

    private func checkSpend(_ snapshot: State) throws(LimitReached) {
        let tokens = snapshot.usage.inputTokens + snapshot.usage.outputTokens + snapshot.usage.cacheReadTokens
            + snapshot.usage.cacheWriteTokens
        if let max = limits.maxTokens, tokens >= max {
            throw LimitReached(reason: .maxTokens, message: "the run used \(tokens) tokens, over --max-tokens \(max)")
        }
        if let max = limits.maxCostUSD, snapshot.costUSD >= max {
            let spent = (snapshot.costUSD * 10000).rounded() / 10000
            throw LimitReached(reason: .maxCost, message: "the run spent $\(spent), over --max-cost \(max)")
        }
    }

    /// Counts a denied tool call.
    func recordDenial() { state.withLock { $0.denials += 1 } }

    /// Records a changed file (relative path), once.
    func recordChange(_ path: String) {
        state.withLock { state in if !state.filesChanged.contains(path) { state.filesChanged.append(path) } }
    }

    /// Turns so far in `phase`.
    func turns(in phase: PhaseName) -> Int { state.withLock { $0.turnsByPhase[phase, default: 0] } }

    /// The `totals` object shared by `turn.completed` and `run.completed`.
    var totals: JSONObject {
        state.withLock { state in
            [
                "turns": .int(Int64(state.turns)), "input_tokens": .int(Int64(state.usage.inputTokens)),
                "output_tokens": .int(Int64(state.usage.outputTokens)),
                "cache_read_tokens": .int(Int64(state.usage.cacheReadTokens)),
                "cache_write_tokens": .int(Int64(state.usage.cacheWriteTokens)),
                "cost_usd": .double((state.costUSD * 1_000_000).rounded() / 1_000_000),
                "cost_source": .string(state.costSource),
            ]
        }
    }

    /// Denied tool calls so far.
    var denials: Int { state.withLock { $0.denials } }
    /// Files changed so far, in order.
    var filesChanged: [String] { state.withLock { $0.filesChanged } }
}

/// A limit stopped the run.
public struct LimitReached: Error, Sendable, Equatable, CustomStringConvertible {
    /// `max_turns`, `max_cost`, `max_tokens` or `timeout`.
    public var reason: RunOutcome.Reason
    /// Which limit and by how much.
    public var message: String
    public var description: String { message }
}
