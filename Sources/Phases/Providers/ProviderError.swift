/// A failure talking to a model provider. Its ``description`` never contains an API key: every message built
/// from a server's answer goes through ``redacting(_:)`` with the key in use.
public struct ProviderError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What went wrong.
    public enum Kind: String, Sendable, Equatable {
        /// The server answered with an HTTP error status (see ``ProviderError/httpStatus``).
        case httpStatus = "http_status"
        /// The connection failed or dropped.
        case network
        /// No bytes arrived for longer than the idle timeout.
        case timeout
        /// The request as a whole took longer than its deadline.
        case deadline
        /// The stream ended before its terminator (`message_stop`, `[DONE]`).
        case truncatedStream = "truncated_stream"
        /// The server's answer could not be understood.
        case invalidResponse = "invalid_response"
        /// The key was refused (401, 403).
        case auth
        /// The account is out of credit or quota (never retried).
        case quotaExhausted = "quota_exhausted"
        /// The request was cancelled.
        case cancelled
    }

    /// What went wrong.
    public var kind: Kind
    /// A human message (never holds the key).
    public var message: String
    /// The HTTP status when the server sent one (529-like for an `overloaded_error` event mid-stream).
    public var httpStatus: Int?
    /// Seconds the server asked us to wait (`retry-after-ms`, `retry-after`).
    public var retryAfter: Double?
    /// The provider's name (`anthropic`, `openai`), for the message.
    public var provider: String

    /// Creates an error.
    public init(kind: Kind, message: String, httpStatus: Int? = nil, retryAfter: Double? = nil, provider: String = "") {
        self.kind = kind
        self.message = message
        self.httpStatus = httpStatus
        self.retryAfter = retryAfter
        self.provider = provider
    }

    /// Whether trying again may succeed: 408, 409, 429, 5xx and 529, dropped connections, idle timeouts and
    /// truncated streams. Never 400/401/403/404, quota exhaustion, a blown deadline or cancellation.
    public var isRetryable: Bool {
        switch kind {
        case .network, .timeout, .truncatedStream: return true
        case .httpStatus:
            guard let status = httpStatus else { return false }
            return Self.retryableStatuses.contains(status) || (500...599).contains(status)
        case .deadline, .invalidResponse, .auth, .quotaExhausted, .cancelled: return false
        }
    }

    /// Statuses worth retrying besides 5xx.
    static let retryableStatuses: Set<Int> = [408, 409, 429, 529]

    /// A stable machine code for `error` events: `provider_http_429`, `provider_auth`, `provider_truncated_stream`…
    public var code: String {
        if kind == .httpStatus, let httpStatus { return "provider_http_\(httpStatus)" }
        return "provider_\(kind.rawValue)"
    }

    public var description: String {
        var text = provider.isEmpty ? "" : "\(provider): "
        if let httpStatus { text += "HTTP \(httpStatus): " }
        text += message
        if let retryAfter { text += " (retry after \(Self.format(seconds: retryAfter)))" }
        return text
    }

    /// `message` with every occurrence of `secrets` (non-empty ones) replaced by `[redacted]`.
    public static func redacting(_ message: String, secrets: [String?]) -> String {
        var result = message
        for case let secret? in secrets where secret.count >= 4 {
            result = result.replacingAll(secret, with: "[redacted]")
        }
        return result
    }

    static func format(seconds: Double) -> String {
        seconds.rounded() == seconds ? "\(Int(seconds))s" : "\((seconds * 1000).rounded() / 1000)s"
    }
}
