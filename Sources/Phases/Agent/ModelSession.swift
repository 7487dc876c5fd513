import Memory
import Synchronization

/// Settings of the model-driven phases.
public struct ModelSettings: Sendable, Equatable {
    /// `anthropic`, `openai` or `replay`.
    public var providerName: String
    /// The model name sent to the provider.
    public var model: String
    /// A local server (Ollama, vLLM, …): cost is 0.
    public var isLocal = false
    /// Output tokens per request.
    public var maxOutputTokens = 8192
    /// The context window the conversation is kept under.
    public var contextWindow: Int
    /// Emit `item.delta` events while text streams.
    public var streamsDeltas = false
    /// Seconds between `heartbeat` events while waiting on the model or a command.
    public var heartbeatInterval: Double = 10

    /// Settings for `model` on `providerName`, with its default window.
    public init(providerName: String, model: String) {
        self.providerName = providerName
        self.model = model
        self.contextWindow = ContextBudget.defaultWindow(for: model)
    }
}

/// What the model-driven phases share: the provider, limits and totals, permissions and tools, and the
/// emitter. One per run.
public final class ModelSession: Sendable {
    let provider: any LLMProvider
    let settings: ModelSettings
    let ledger: UsageLedger
    let emitter: EventEmitter
    let cancellation: CancellationSource
    let registry: ToolRegistry
    let policy: PermissionPolicy
    let isFailingOnDenial: Bool
    let baseContext: ToolContext
    let runDirectory: String
    private let counters = Mutex((turn: 0, item: 0))

    /// Creates a session.
    /// - Parameters:
    ///   - policy: Rules, approvals and test command; its mode is replaced per phase.
    ///   - baseContext: Workspace, memory, session and run for tool calls; the phase is set per phase.
    ///   - runDirectory: `runs/<run>` in the memory directory, where full tool outputs are kept.
    public init(
        provider: any LLMProvider, settings: ModelSettings, ledger: UsageLedger, emitter: EventEmitter,
        cancellation: CancellationSource, registry: ToolRegistry, policy: PermissionPolicy, isFailingOnDenial: Bool,
        baseContext: ToolContext, runDirectory: String
    ) {
        self.provider = provider
        self.settings = settings
        self.ledger = ledger
        self.emitter = emitter
        self.cancellation = cancellation
        self.registry = registry
        self.policy = policy
        self.isFailingOnDenial = isFailingOnDenial
        self.baseContext = baseContext
        self.runDirectory = runDirectory
    }

    func nextTurn() -> Int { counters.withLock { $0.turn += 1; return $0.turn } }
    func nextItemID(_ prefix: String) -> String { counters.withLock { $0.item += 1; return "\(prefix)-\($0.item)" } }

    /// The tool context of `phase`.
    func context(for phase: PhaseName) -> ToolContext {
        var context = baseContext
        context.phase = phase.rawValue
        let cancellation = cancellation
        context.isCancelled = { cancellation.isCancelled }
        return context
    }

    /// The permission policy of `phase`: research and planning are read-only.
    func policy(for phase: PhaseName) -> PermissionPolicy {
        var policy = policy
        if phase != .implementation { policy.mode = .researchReadOnly }
        return policy
    }
}
