import Phases

/// Settings of `raaid serve` (flags, environment and defaults already resolved).
public struct ServeConfiguration: Sendable {
    /// Address to bind; loopback unless told otherwise.
    public var host = "127.0.0.1"
    /// Port; 0 picks a free one.
    public var port = 8765
    /// The secret every connection must present.
    public var token: String
    /// Extra browser origins allowed besides the server's own (`--allow-origin`).
    public var allowedOrigins: [String] = []
    /// Extra Host header values allowed (`--allow-host`), e.g. the public name behind a reverse proxy.
    public var allowedHosts: [String] = []
    /// The workspace runs research.
    public var workspace: String
    /// The memory directory.
    public var memoryDirectory: String
    /// Runs executing at once; more wait in a queue.
    public var maxConcurrentRuns = 2
    /// Seconds runs may keep going after a shutdown signal before they are cancelled.
    public var drainTimeout = 30.0
    /// Client messages per second per connection (token bucket rate).
    public var messageRate = 20.0
    /// Burst size of the rate limit.
    public var messageBurst = 40.0
    /// Adds the `/echo` endpoint for conformance testing.
    public var isEchoEnabled = false
    /// raaid's version, for `hello` and `run.started`.
    public var version: String
    /// The model for runs started with `research_only: false`; nil runs research only (others end with exit 3).
    public var provider: ProviderConfiguration?
    /// `--allow` rules for model runs (shell commands not covered wait for a client's approval).
    public var permissionRules: [String] = []
    /// Allow every shell command in model runs.
    public var isCowboyMode = false

    /// A configuration with defaults for everything but the essentials.
    public init(token: String, workspace: String, memoryDirectory: String, version: String) {
        self.token = token
        self.workspace = workspace
        self.memoryDirectory = memoryDirectory
        self.version = version
    }
}
