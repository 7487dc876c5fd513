#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Musl)
@preconcurrency import Musl
#endif
import Memory
import Phases

/// The model side of `raaid run`: provider selection (flags > environment > `.raaid/config.json` > none),
/// permissions, limits, tests, resume.
extension RunCommand {
    /// Environment variables the provider configuration reads.
    static let providerVariables = [
        "RAAID_PROVIDER", "RAAID_MODEL", "ANTHROPIC_API_KEY", "OPENAI_API_KEY", "OPENAI_BASE_URL", "ANTHROPIC_BASE_URL",
    ]

    /// Resolves the provider; nil when none is configured.
    func resolveProvider(memoryDirectory: String) throws(RunError) -> ProviderConfiguration? {
        if parsed.value("replay") != nil && (parsed.value("record") != nil || parsed.value("provider").map({ $0 != "replay" }) == true) {
            throw usage("--replay cannot be combined with --record or another --provider", code: "conflicting_options")
        }
        return try Self.resolveProvider(parsed, memoryDirectory: memoryDirectory)
    }

    /// Flags > environment > `<memory dir>/config.json` > none; shared with `raaid serve`.
    static func resolveProvider(_ parsed: ParsedArguments, memoryDirectory: String) throws(RunError) -> ProviderConfiguration? {
        var environment: [String: String] = [:]
        for name in Self.providerVariables { environment[name] = EnvironmentVariables.value(name) }
        var configFile: ProviderConfiguration.ConfigFile?
        let configPath = memoryDirectory + "/config.json"
        if let bytes = try? FileSystem.readFile(configPath) {
            do {
                configFile = try ProviderConfiguration.ConfigFile.parse(bytes, path: configPath)
            } catch {
                throw RunError(code: error.code, message: error.message, reason: .configurationError)
            }
        }
        let flags = ProviderConfiguration.Flags(
            provider: parsed.value("provider"), model: parsed.value("model"), baseURL: parsed.value("base-url"),
            replayFile: parsed.value("replay"))
        do {
            let configuration = try ProviderConfiguration.resolve(flags: flags, environment: environment, configFile: configFile)
            return configuration.kind == .none ? nil : configuration
        } catch {
            throw RunError(code: error.code, message: error.message, reason: .configurationError)
        }
    }

    /// Limits from the flags.
    func limits() throws(RunError) -> RunLimits {
        var limits = RunLimits()
        limits.maxTurns = try integer("max-turns", default: 150, range: 1...100_000)
        limits.maxTurnsPerPhase = try integer("max-turns-per-phase", default: 50, range: 1...100_000)
        limits.maxTokens = try optionalInteger("max-tokens", range: 1...Int(Int32.max))
        limits.maxCostUSD = try optionalNumber("max-cost", range: 0.000_001...1_000_000)
        limits.timeout = try optionalNumber("timeout", range: 0.001...31_536_000)
        return limits
    }

    /// Everything the model-driven phases need; `provider` is wrapped once the emitter exists.
    func modelOptions(
        _ provider: ProviderConfiguration, workspace: String, emitter: EventEmitter
    ) throws -> ModelRunOptions {
        var base = try provider.makeProvider()!
        base = RetryingProvider.reporting(base, to: emitter)
        if let record = parsed.value("record") { base = try RecordingProvider(base, path: record) }
        var settings = ModelSettings(providerName: provider.kind.rawValue, model: provider.model)
        settings.isLocal = provider.isLocal
        settings.streamsDeltas = parsed.has("stream-deltas")
        if let window = try optionalInteger("context-window", range: 4096...10_000_000) { settings.contextWindow = window }
        let testCommand = try resolvedTestCommand(workspace: workspace)
        var rules = parsed.allValues("allow")
        if let testCommand { rules += ["shell(\(testCommand))", "shell(\(testCommand) *)"] }
        let permissionRules: PermissionRules
        do {
            permissionRules = try PermissionRules(parsing: rules)
        } catch {
            throw usage(error.description, code: "invalid_value")
        }
        let root = try WorkspaceRoot(workspace)
        let policy = PermissionPolicy(
            mode: parsed.has("cowboy-mode") ? .cowboy : .implement, rules: permissionRules, testCommand: testCommand,
            workspace: root)
        var options = ModelRunOptions(provider: base, settings: settings, permissions: policy)
        options.isFailingOnDenial = parsed.has("fail-on-denial")
        options.testCommand = testCommand
        options.maxTestRetries = try integer("max-test-retries", default: 2, range: 0...20)
        options.isPlanOnly = parsed.has("plan-only")
        if let answers = parsed.value("answers") {
            do {
                options.human = try AnswersFileChannel(path: answers)
            } catch {
                throw usage("--answers \(answers): \(error.message)", code: "invalid_value")
            }
        }
        return options
    }

    /// `--test-cmd`, or with `--auto-test` the test command detected in the workspace.
    private func resolvedTestCommand(workspace: String) throws(RunError) -> String? {
        if let command = parsed.value("test-cmd") {
            guard !command.allSatisfy(\.isWhitespace) else { throw usage("--test-cmd must not be empty", code: "invalid_value") }
            return command
        }
        guard parsed.has("auto-test") else { return nil }
        let files = (try? WorkspaceWalker(root: workspace).walk().files) ?? []
        guard let detected = ProjectDetector(root: workspace).detect(files: files).testCommands.first else {
            throw RunError(
                code: "no_test_command",
                message: "--auto-test found no test command in \(workspace); pass one with --test-cmd",
                reason: .configurationError)
        }
        return detected
    }

    /// The task and session of the run `--resume` continues.
    static func resumeState(of run: String, memory: MemoryStore) throws(RunError) -> (task: String, session: String) {
        let state: JSONValue?
        do { state = try memory.readRunState(run: run) } catch { state = nil }
        guard let state, let task = state["task"]?.stringValue, let session = state["session"]?.stringValue else {
            throw RunError(
                code: "unknown_run",
                message: "--resume \(run): no such run in \(memory.directory)/runs (list them with: ls \(memory.directory)/runs)",
                reason: .usageError)
        }
        if state["status"]?.stringValue == "success" {
            throw RunError(code: "run_succeeded", message: "--resume \(run): that run already succeeded; nothing to resume", reason: .usageError)
        }
        return (task, session)
    }

    func optionalInteger(_ key: String, range: ClosedRange<Int>) throws(RunError) -> Int? {
        guard parsed.value(key) != nil else { return nil }
        return try integer(key, default: 0, range: range)
    }

    func optionalNumber(_ key: String, range: ClosedRange<Double>) throws(RunError) -> Double? {
        guard let text = parsed.value(key) else { return nil }
        guard let number = Double(text), range.contains(number) else {
            throw usage("invalid value '\(text)' for '--\(key)'; expected a positive number", code: "invalid_value")
        }
        return number
    }
}
