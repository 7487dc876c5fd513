/// What a run needs to drive planning and implementation (and model-assisted research) with a model.
public struct ModelRunOptions: Sendable {
    /// The provider, already wrapped for retries and recording.
    public var provider: any LLMProvider
    /// Model name, window, streaming.
    public var settings: ModelSettings
    /// Rules, mode (implement or cowboy), approvals and the test command.
    public var permissions: PermissionPolicy
    /// A denied tool call ends the run with exit 6.
    public var isFailingOnDenial = false
    /// Answers `ask_human` (an answers file, or a serve client).
    public var human: any HumanChannel = DecliningHumanChannel()
    /// The command run after implementation (`--test-cmd`, or the detected one with `--auto-test`).
    public var testCommand: String?
    /// Fix attempts when the tests fail.
    public var maxTestRetries = 2
    /// Stop after planning.
    public var isPlanOnly = false

    /// Options for `provider` with `settings` and `permissions`.
    public init(provider: any LLMProvider, settings: ModelSettings, permissions: PermissionPolicy) {
        self.provider = provider
        self.settings = settings
        self.permissions = permissions
    }
}
