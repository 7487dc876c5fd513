import Memory

/// Which provider, model, base URL and key a run uses, and where each came from.
///
/// Precedence, per value: flags > environment > `.raaid/config.json` > defaults.
///
/// | value    | flag          | environment                               | config file | default |
/// |----------|---------------|-------------------------------------------|-------------|---------|
/// | provider | `--provider`  | `RAAID_PROVIDER`                          | `provider`  | inferred (below) |
/// | model    | `--model`     | `RAAID_MODEL`                             | `model`     | ``defaultModel(for:)`` |
/// | base URL | `--base-url`  | `ANTHROPIC_BASE_URL` / `OPENAI_BASE_URL`  | `base_url`  | the vendor's API |
/// | key      | —             | `ANTHROPIC_API_KEY` / `OPENAI_API_KEY`    | never       | — |
///
/// `--replay FILE` selects the `replay` provider outright. With no provider named anywhere it is inferred:
/// `ANTHROPIC_API_KEY` → anthropic, else `OPENAI_API_KEY` → openai, else a base URL (`--base-url` or
/// `OPENAI_BASE_URL` → openai, `ANTHROPIC_BASE_URL` → anthropic), else none (the embedded research
/// engine). A key is required for the vendors' own endpoints; a custom base URL makes it optional (local
/// servers, gateways), and the OpenAI provider then sends no `Authorization` header at all.
public struct ProviderConfiguration: Sendable, Equatable, CustomStringConvertible {
    /// The provider kinds.
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        case anthropic, openai, replay, none
    }

    /// Where a value came from.
    public enum Source: String, Sendable, Equatable {
        case flag, environment
        case configFile = "config_file"
        case inferred
        case defaultValue = "default"
    }

    /// Values given on the command line.
    public struct Flags: Sendable, Equatable {
        public var provider: String?
        public var model: String?
        public var baseURL: String?
        /// `--replay FILE`.
        public var replayFile: String?

        /// Creates flag values.
        public init(provider: String? = nil, model: String? = nil, baseURL: String? = nil, replayFile: String? = nil) {
            self.provider = provider
            self.model = model
            self.baseURL = baseURL
            self.replayFile = replayFile
        }
    }

    /// The contents of `.raaid/config.json`.
    public struct ConfigFile: Sendable, Equatable {
        public var provider: String?
        public var model: String?
        public var baseURL: String?

        /// Creates config file values.
        public init(provider: String? = nil, model: String? = nil, baseURL: String? = nil) {
            self.provider = provider
            self.model = model
            self.baseURL = baseURL
        }

        static func isSecretLike(_ key: String) -> Bool {
            let lowered = key.lowercased()
            return lowered.contains("key") || lowered.contains("secret") || lowered.contains("auth")
                || lowered == "token" || lowered.hasSuffix("_token") && !lowered.hasSuffix("max_tokens")
        }

        /// Parses `{"provider":…,"model":…,"base_url":…}`; unknown keys are ignored.
        /// - Throws: ``ProviderConfigurationError`` `invalid_config_file`, or `key_in_config_file` when it holds
        ///   anything that looks like a key (keys belong in the environment, never in a file in the workspace).
        public static func parse(_ bytes: [UInt8], path: String = ".raaid/config.json")
            throws(ProviderConfigurationError)
            -> ConfigFile
        {
            let json: JSONValue
            do {
                json = try JSONValue.parse(bytes: bytes)
            } catch {
                throw ProviderConfigurationError(code: "invalid_config_file", message: "\(path): \(error)")
            }
            guard let object = json.objectValue else {
                throw ProviderConfigurationError(
                    code: "invalid_config_file", message: "\(path): expected a JSON object")
            }
            for key in object.keys where isSecretLike(key) {
                throw ProviderConfigurationError(
                    code: "key_in_config_file",
                    message:
                        "\(path) has '\(key)': API keys are never read from files; remove it and set ANTHROPIC_API_KEY or OPENAI_API_KEY in the environment"
                )
            }
            return ConfigFile(
                provider: object["provider"]?.stringValue, model: object["model"]?.stringValue,
                baseURL: object["base_url"]?.stringValue)
        }
    }

    /// The chosen provider.
    public var kind: Kind
    /// The model name (empty for `none` and `replay`, where the recording decides).
    public var model: String
    /// The base URL, when one was given (nil: the vendor's default).
    public var baseURL: String?
    /// The API key (never printed: not part of ``description``).
    public var apiKey: String?
    /// The variable the key came from (`ANTHROPIC_API_KEY`), for messages and `run.started`.
    public var keySource: String?
    /// The replay file for `replay`.
    public var replayFile: String?
    /// Where the provider, model and base URL came from.
    public var providerSource: Source
    public var modelSource: Source
    public var baseURLSource: Source?

    /// The default model per provider: `claude-sonnet-4-5` for anthropic, `gpt-4o-mini` for openai.
    public static func defaultModel(for kind: Kind) -> String {
        switch kind {
        case .anthropic: return "claude-sonnet-4-5"
        case .openai: return "gpt-4o-mini"
        case .replay, .none: return ""
        }
    }

    /// Whether requests go to this machine or a private network (no cost, no key needed).
    public var isLocal: Bool { baseURL.map(ProviderEndpoint.isLocal(base:)) ?? false }

    public var description: String {
        var parts = ["provider=\(kind.rawValue)"]
        if !model.isEmpty { parts.append("model=\(model)") }
        if let baseURL { parts.append("base_url=\(ProviderEndpoint.redactedForDisplay(baseURL))") }
        if let keySource { parts.append("key=$\(keySource)") }
        if let replayFile { parts.append("replay=\(replayFile)") }
        return parts.joined(separator: " ")
    }

    /// Resolves the configuration from its three sources. Pure: the caller reads the environment and the file.
    /// - Throws: ``ProviderConfigurationError`` (`unknown_provider`, `missing_api_key`, `invalid_base_url`).
    public static func resolve(flags: Flags, environment: [String: String], configFile: ConfigFile?)
        throws(ProviderConfigurationError) -> ProviderConfiguration
    {
        func env(_ name: String) -> String? {
            guard let value = environment[name]?.trimmingWhitespace(), !value.isEmpty else { return nil }
            return value
        }
        func given(_ value: String?) -> String? {
            guard let value = value?.trimmingWhitespace(), !value.isEmpty else { return nil }
            return value
        }

        if let replay = given(flags.replayFile) {
            return ProviderConfiguration(
                kind: .replay, model: given(flags.model) ?? "", baseURL: nil, apiKey: nil, keySource: nil,
                replayFile: replay, providerSource: .flag,
                modelSource: given(flags.model) == nil ? .defaultValue : .flag,
                baseURLSource: nil)
        }

        // Provider.
        var kind: Kind
        var providerSource: Source
        if let named = given(flags.provider) ?? env("RAAID_PROVIDER") ?? given(configFile?.provider) {
            guard let parsed = Kind(rawValue: named.lowercased()), parsed != .replay else {
                throw ProviderConfigurationError(
                    code: "unknown_provider",
                    message: "unknown provider '\(named)'; use anthropic, openai or none (or --replay FILE)")
            }
            kind = parsed
            providerSource =
                given(flags.provider) != nil ? .flag : env("RAAID_PROVIDER") != nil ? .environment : .configFile
        } else {
            providerSource = .inferred
            if env("ANTHROPIC_API_KEY") != nil {
                kind = .anthropic
            } else if env("OPENAI_API_KEY") != nil || given(flags.baseURL) != nil || env("OPENAI_BASE_URL") != nil {
                kind = .openai
            } else if env("ANTHROPIC_BASE_URL") != nil {
                kind = .anthropic
            } else if given(configFile?.baseURL) != nil {
                kind = .openai
            } else {
                kind = .none
            }
        }
        guard kind != .none else {
            return ProviderConfiguration(
                kind: .none, model: "", baseURL: nil, apiKey: nil, keySource: nil, replayFile: nil,
                providerSource: providerSource, modelSource: .defaultValue, baseURLSource: nil)
        }

        // Model.
        let model: String
        let modelSource: Source
        if let value = given(flags.model) {
            (model, modelSource) = (value, .flag)
        } else if let value = env("RAAID_MODEL") {
            (model, modelSource) = (value, .environment)
        } else if let value = given(configFile?.model) {
            (model, modelSource) = (value, .configFile)
        } else {
            (model, modelSource) = (defaultModel(for: kind), .defaultValue)
        }

        // Base URL and key.
        let baseVariable = kind == .anthropic ? "ANTHROPIC_BASE_URL" : "OPENAI_BASE_URL"
        let keyVariable = kind == .anthropic ? "ANTHROPIC_API_KEY" : "OPENAI_API_KEY"
        var baseURL: String?
        var baseURLSource: Source?
        if let value = given(flags.baseURL) {
            (baseURL, baseURLSource) = (value, .flag)
        } else if let value = env(baseVariable) {
            (baseURL, baseURLSource) = (value, .environment)
        } else if let value = given(configFile?.baseURL) {
            (baseURL, baseURLSource) = (value, .configFile)
        }
        if let baseURL {
            // Validate now, so a typo is a configuration error before the run starts.
            if kind == .anthropic {
                _ = try ProviderEndpoint.anthropicMessages(base: baseURL)
            } else {
                _ = try ProviderEndpoint.openAIChatCompletions(base: baseURL)
            }
        }
        let apiKey = env(keyVariable)
        if apiKey == nil && baseURL == nil {
            let hint =
                kind == .anthropic
                ? "export ANTHROPIC_API_KEY=…, or point --base-url / ANTHROPIC_BASE_URL at a gateway"
                : "export OPENAI_API_KEY=…, or point --base-url / OPENAI_BASE_URL at a compatible server (Ollama, vLLM, LM Studio…)"
            throw ProviderConfigurationError(
                code: "missing_api_key", message: "\(keyVariable) is not set; \(hint), or run with --research-only")
        }
        return ProviderConfiguration(
            kind: kind, model: model, baseURL: baseURL, apiKey: apiKey, keySource: apiKey == nil ? nil : keyVariable,
            replayFile: nil, providerSource: providerSource, modelSource: modelSource, baseURLSource: baseURLSource)
    }

    /// The provider for this configuration (nil for `none`), wrapped in nothing: the caller adds
    /// ``RetryingProvider`` and ``RecordingProvider`` as it needs.
    /// - Throws: ``ProviderConfigurationError``; ``ReplayError`` when the replay file cannot be read.
    public func makeProvider(client: HTTPStreamingClient = HTTPStreamingClient()) throws -> (any LLMProvider)? {
        switch kind {
        case .none: return nil
        case .anthropic:
            try HTTPStreamingClient.checkTransport()
            return try AnthropicProvider(
                apiKey: apiKey, baseURL: baseURL ?? ProviderEndpoint.anthropicDefaultBase, client: client)
        case .openai:
            try HTTPStreamingClient.checkTransport()
            return try OpenAIProvider(
                apiKey: apiKey, baseURL: baseURL ?? ProviderEndpoint.openAIDefaultBase, client: client)
        case .replay:
            return try ReplayProvider(path: replayFile ?? "")
        }
    }
}
