import Memory

/// Limits the runner enforces; a limit that stops a run ends it with `run.completed` status `limit_reached`
/// and the reason naming the limit (exit 5).
public struct RunLimits: Sendable, Equatable {
    /// Model turns per phase.
    public var maxTurnsPerPhase: Int? = 50
    /// Model turns in the whole run.
    public var maxTurns: Int? = 150
    /// Spend in USD (models without a known price count as 0; `cost_source` says so).
    public var maxCostUSD: Double?
    /// Input + output tokens in the whole run (cache reads and writes included).
    public var maxTokens: Int?
    /// Wall-clock seconds for the whole run.
    public var timeout: Double?

    /// The defaults: 50 turns per phase, 150 in all, no cost, token or time limit.
    public init() {}

    /// The limit fields of `run.started`'s `limits`.
    var payload: JSONObject {
        [
            "max_turns": .from(maxTurns), "max_turns_per_phase": .from(maxTurnsPerPhase),
            "max_cost_usd": .from(maxCostUSD), "max_tokens": .from(maxTokens), "timeout_s": .from(timeout),
        ]
    }
}
