import Foundation

/// Where a provider's requests go.
///
/// The rule, for a base URL given by `--base-url`, `ANTHROPIC_BASE_URL` or `OPENAI_BASE_URL` (a trailing `/`
/// is ignored; a path prefix is kept verbatim):
/// - **anthropic**: `<base>/v1/messages`; when the base already ends in `/v1`, just `<base>/messages`.
///   `https://api.anthropic.com` → `https://api.anthropic.com/v1/messages`;
///   `https://gw.example/anthropic` → `https://gw.example/anthropic/v1/messages`.
/// - **openai**: `<base>/chat/completions` (OpenAI SDK convention: the base includes the version);
///   when the base has no path at all, `/v1` is added first.
///   `http://host:11434/v1` → `http://host:11434/v1/chat/completions`;
///   `http://host:8080` → `http://host:8080/v1/chat/completions`;
///   `https://openrouter.ai/api/v1` → `https://openrouter.ai/api/v1/chat/completions`.
public enum ProviderEndpoint {
    /// The Anthropic default base URL.
    public static let anthropicDefaultBase = "https://api.anthropic.com"
    /// The OpenAI default base URL.
    public static let openAIDefaultBase = "https://api.openai.com/v1"

    /// The Messages API endpoint for `base`.
    /// - Throws: ``ProviderConfigurationError`` for a malformed URL.
    public static func anthropicMessages(base: String) throws(ProviderConfigurationError) -> URL {
        let trimmed = try validated(base)
        return URL(string: trimmed + (trimmed.hasSuffix("/v1") ? "/messages" : "/v1/messages"))!
    }

    /// The Chat Completions endpoint for `base`.
    public static func openAIChatCompletions(base: String) throws(ProviderConfigurationError) -> URL {
        let trimmed = try validated(base)
        let hasPath = URLComponents(string: trimmed).map { !$0.path.isEmpty } ?? false
        return URL(string: trimmed + (hasPath ? "" : "/v1") + "/chat/completions")!
    }

    /// Whether `base` points at this machine or a private network (no key needed, no cost).
    public static func isLocal(base: String) -> Bool {
        guard let host = URLComponents(string: base)?.host?.lowercased() else { return false }
        if host == "localhost" || host.hasSuffix(".localhost") || host.hasSuffix(".local") || host == "::1"
            || host == "[::1]" || host == "0.0.0.0" || host == "host.docker.internal"
        {
            return true
        }
        let octets = host.split(separator: ".").compactMap { UInt8($0) }
        guard octets.count == 4 else { return false }
        switch (octets[0], octets[1]) {
        case (127, _), (10, _), (192, 168): return true
        case (172, 16...31): return true
        default: return false
        }
    }

    private static func validated(_ base: String) throws(ProviderConfigurationError) -> String {
        var trimmed = base.trimmingWhitespace()
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let components = URLComponents(string: trimmed), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", components.host?.isEmpty == false,
            components.query == nil, components.fragment == nil
        else {
            throw ProviderConfigurationError(
                code: "invalid_base_url",
                message:
                    "base URL '\(redactedForDisplay(base))' is not an http(s) URL like https://host[:port][/prefix]")
        }
        return trimmed
    }

    /// `base` with any `user:password@` removed, for messages and events.
    public static func redactedForDisplay(_ base: String) -> String {
        guard var components = URLComponents(string: base), components.password != nil || components.user != nil
        else { return base }
        components.user = nil
        components.password = nil
        return components.string ?? "[base URL]"
    }
}
