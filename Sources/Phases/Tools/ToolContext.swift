import Memory

/// Everything a tool call may use besides its input.
public struct ToolContext: Sendable {
    /// The workspace every path is resolved in.
    public var workspace: WorkspaceRoot
    /// Where memory tools write; `nil` makes them fail with a clear output.
    public var memory: MemoryStore?
    /// The session records are written to.
    public var session: String
    /// The run, recorded on memory records.
    public var run: String?
    /// The phase (`research`, `planning`, `implementation`), recorded on memory records.
    public var phase: String?
    /// Polled by long work (walks, commands); task cancellation is honoured too.
    public var isCancelled: @Sendable () -> Bool
    /// Answers ``AskHumanTool`` questions.
    public var human: any HumanChannel
    /// Command settings for `run_shell` and `run_tests`.
    public var shell: ShellSettings

    /// Creates a context.
    public init(
        workspace: WorkspaceRoot, memory: MemoryStore? = nil, session: String, run: String? = nil,
        phase: String? = nil, isCancelled: @escaping @Sendable () -> Bool = { false },
        human: any HumanChannel = DecliningHumanChannel(), shell: ShellSettings = ShellSettings()
    ) {
        self.workspace = workspace
        self.memory = memory
        self.session = session
        self.run = run
        self.phase = phase
        self.isCancelled = isCancelled
        self.human = human
        self.shell = shell
    }

    /// Whether the run or the current task was cancelled.
    public var shouldStop: Bool { isCancelled() || Task.isCancelled }

    /// Throws `CancellationError` when ``shouldStop``.
    public func checkCancellation() throws {
        if shouldStop { throw CancellationError() }
    }
}

/// How `run_shell` and `run_tests` run commands.
public struct ShellSettings: Sendable {
    /// The shell that runs `-c COMMAND`.
    public var shellPath = "/bin/bash"
    /// Default `run_shell` timeout in seconds.
    public var defaultTimeout: Double = 120
    /// Largest timeout the model may ask for, in seconds.
    public var maximumTimeout: Double = 1800
    /// The test command for `run_tests` (usually detected from the project, or `--test-cmd`); `nil` disables it.
    public var testCommand: String?
    /// `run_tests` timeout in seconds.
    public var testTimeout: Double = 900
    /// Characters of command output shown to the model (head and tail are kept).
    public var outputLimit = 30_000
    /// Seconds between SIGTERM and SIGKILL when a command's process group is stopped.
    public var killGrace: Double = 2
    /// The child environment; `nil` inherits raaid's, minus secrets (see ``ProcessEnvironment``).
    public var environment: [String: String]?

    /// Creates the default settings.
    public init() {}
}
