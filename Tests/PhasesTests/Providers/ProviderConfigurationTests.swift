import Foundation
import Testing

@testable import Phases

@Suite struct ProviderConfigurationTests {
    typealias Config = ProviderConfiguration
    static let key = "sk-ant-FAKE-0000"

    struct Case: Sendable, CustomStringConvertible {
        var description: String
        var flags = Config.Flags()
        var environment: [String: String] = [:]
        var file: Config.ConfigFile?
        var kind: Config.Kind
        var model: String
        var baseURL: String?
        var providerSource: Config.Source
        var modelSource: Config.Source
    }

    static let cases: [Case] = [
        Case(
            description: "nothing → none", kind: .none, model: "", providerSource: .inferred, modelSource: .defaultValue
        ),
        Case(
            description: "anthropic key → anthropic default model", environment: ["ANTHROPIC_API_KEY": key],
            kind: .anthropic, model: "claude-sonnet-4-5", providerSource: .inferred, modelSource: .defaultValue),
        Case(
            description: "openai key → openai default model", environment: ["OPENAI_API_KEY": "sk-x"], kind: .openai,
            model: "gpt-4o-mini", providerSource: .inferred, modelSource: .defaultValue),
        Case(
            description: "both keys → anthropic", environment: ["ANTHROPIC_API_KEY": key, "OPENAI_API_KEY": "sk-x"],
            kind: .anthropic, model: "claude-sonnet-4-5", providerSource: .inferred, modelSource: .defaultValue),
        Case(
            description: "flag beats env beats file",
            flags: Config.Flags(provider: "openai", model: "flag-model"),
            environment: [
                "RAAID_PROVIDER": "anthropic", "RAAID_MODEL": "env-model", "ANTHROPIC_API_KEY": key,
                "OPENAI_API_KEY": "sk-x",
            ],
            file: Config.ConfigFile(provider: "anthropic", model: "file-model"), kind: .openai, model: "flag-model",
            providerSource: .flag, modelSource: .flag),
        Case(
            description: "env beats file",
            environment: ["RAAID_PROVIDER": "openai", "RAAID_MODEL": "env-model", "OPENAI_API_KEY": "sk-x"],
            file: Config.ConfigFile(provider: "anthropic", model: "file-model"), kind: .openai, model: "env-model",
            providerSource: .environment, modelSource: .environment),
        Case(
            description: "file beats defaults", environment: ["ANTHROPIC_API_KEY": key],
            file: Config.ConfigFile(provider: "anthropic", model: "claude-haiku-4-5"), kind: .anthropic,
            model: "claude-haiku-4-5", providerSource: .configFile, modelSource: .configFile),
        Case(
            description: "local base URL flag → openai without key",
            flags: Config.Flags(baseURL: "http://localhost:11434/v1"),
            kind: .openai, model: "gpt-4o-mini", baseURL: "http://localhost:11434/v1", providerSource: .inferred,
            modelSource: .defaultValue),
        Case(
            description: "OPENAI_BASE_URL from env, file base URL loses",
            environment: ["OPENAI_BASE_URL": "http://10.0.0.5:8000/v1", "RAAID_MODEL": "qwen2.5-coder"],
            file: Config.ConfigFile(baseURL: "http://file:1/v1"), kind: .openai, model: "qwen2.5-coder",
            baseURL: "http://10.0.0.5:8000/v1", providerSource: .inferred, modelSource: .environment),
        Case(
            description: "ANTHROPIC_BASE_URL → anthropic",
            environment: ["ANTHROPIC_BASE_URL": "https://gw.example/anthropic"],
            kind: .anthropic, model: "claude-sonnet-4-5", baseURL: "https://gw.example/anthropic",
            providerSource: .inferred,
            modelSource: .defaultValue),
        Case(
            description: "replay flag wins", flags: Config.Flags(provider: "anthropic", replayFile: "run.jsonl"),
            kind: .replay, model: "", providerSource: .flag, modelSource: .defaultValue),
        Case(
            description: "explicit none", flags: Config.Flags(provider: "none"),
            environment: ["ANTHROPIC_API_KEY": key],
            kind: .none, model: "", providerSource: .flag, modelSource: .defaultValue),
    ]

    @Test(arguments: cases)
    func resolve_followsThePrecedenceTable(_ c: Case) throws {
        let resolved = try Config.resolve(flags: c.flags, environment: c.environment, configFile: c.file)
        #expect(resolved.kind == c.kind)
        #expect(resolved.model == c.model)
        #expect(resolved.baseURL == c.baseURL)
        #expect(resolved.providerSource == c.providerSource)
        #expect(resolved.modelSource == c.modelSource)
        #expect(!resolved.description.contains(Self.key))
    }

    @Test func resolve_keySourceIsNamed_butTheKeyIsNeverDescribed() throws {
        let resolved = try Config.resolve(flags: .init(), environment: ["ANTHROPIC_API_KEY": Self.key], configFile: nil)
        #expect(resolved.apiKey == Self.key)
        #expect(resolved.keySource == "ANTHROPIC_API_KEY")
        #expect(resolved.description == "provider=anthropic model=claude-sonnet-4-5 key=$ANTHROPIC_API_KEY")
    }

    @Test func resolve_missingKey_isAClearError() {
        #expect(throws: ProviderConfigurationError.self) {
            try Config.resolve(
                flags: .init(provider: "anthropic"), environment: ["OPENAI_API_KEY": "x"], configFile: nil)
        }
        #expect {
            try Config.resolve(flags: .init(provider: "anthropic"), environment: [:], configFile: nil)
        } throws: { error in
            guard let error = error as? ProviderConfigurationError else { return false }
            return error.code == "missing_api_key" && error.message.hasPrefix("ANTHROPIC_API_KEY is not set; ")
        }
        #expect {
            try Config.resolve(flags: .init(provider: "openai"), environment: [:], configFile: nil)
        } throws: { ($0 as? ProviderConfigurationError)?.message.hasPrefix("OPENAI_API_KEY is not set; ") == true }
    }

    @Test func resolve_rejectsUnknownProvidersAndBadBaseURLs() {
        #expect(
            throws: ProviderConfigurationError(
                code: "unknown_provider",
                message: "unknown provider 'gemini'; use anthropic, openai or none (or --replay FILE)")
        ) {
            try Config.resolve(flags: .init(provider: "gemini"), environment: [:], configFile: nil)
        }
        #expect {
            try Config.resolve(flags: .init(baseURL: "localhost:11434"), environment: [:], configFile: nil)
        } throws: { ($0 as? ProviderConfigurationError)?.code == "invalid_base_url" }
    }

    @Test func configFile_parses_andRefusesKeys() throws {
        let parsed = try Config.ConfigFile.parse(
            Array(#"{"provider":"openai","model":"m","base_url":"http://h/v1","max_tokens":9}"#.utf8))
        #expect(parsed == Config.ConfigFile(provider: "openai", model: "m", baseURL: "http://h/v1"))
        #expect {
            try Config.ConfigFile.parse(Array(#"{"provider":"openai","api_key":"sk-1"}"#.utf8))
        } throws: { error in
            guard let error = error as? ProviderConfigurationError else { return false }
            return error.code == "key_in_config_file" && !error.message.contains("sk-1")
        }
        #expect(throws: ProviderConfigurationError.self) { try Config.ConfigFile.parse(Array("[1]".utf8)) }
    }

    @Test(arguments: [
        ("https://api.anthropic.com", "https://api.anthropic.com/v1/messages"),
        ("https://gw.example/anthropic", "https://gw.example/anthropic/v1/messages"),
        ("https://gw.example/anthropic/", "https://gw.example/anthropic/v1/messages"),
        ("https://gw.example/anthropic/v1", "https://gw.example/anthropic/v1/messages"),
    ])
    func anthropicEndpoint(base: String, expected: String) throws {
        #expect(try ProviderEndpoint.anthropicMessages(base: base).absoluteString == expected)
    }

    @Test(arguments: [
        ("https://api.openai.com/v1", "https://api.openai.com/v1/chat/completions"),
        ("http://host:11434/v1", "http://host:11434/v1/chat/completions"),
        ("http://host:8080", "http://host:8080/v1/chat/completions"),
        ("http://host:8080/", "http://host:8080/v1/chat/completions"),
        ("https://openrouter.ai/api/v1", "https://openrouter.ai/api/v1/chat/completions"),
    ])
    func openAIEndpoint(base: String, expected: String) throws {
        #expect(try ProviderEndpoint.openAIChatCompletions(base: base).absoluteString == expected)
    }

    @Test func isLocal_recognizesLoopbackAndPrivateHosts() {
        for base in [
            "http://localhost:11434/v1", "http://127.0.0.1:8080", "http://192.168.1.20:1234/v1", "http://10.1.2.3",
            "http://[::1]:8000",
        ] {
            #expect(ProviderEndpoint.isLocal(base: base), "\(base)")
        }
        for base in ["https://api.openai.com/v1", "https://openrouter.ai/api/v1", "http://172.32.0.1"] {
            #expect(!ProviderEndpoint.isLocal(base: base), "\(base)")
        }
    }
}
