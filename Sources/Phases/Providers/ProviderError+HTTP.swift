import Memory

extension ProviderError {
    /// Classifies an HTTP error answer: 401/403 → ``Kind/auth``; 402, or a 429/400/403 whose body says the
    /// quota or credit is gone (`insufficient_quota`, `billing_error`, "quota", "credit balance") →
    /// ``Kind/quotaExhausted``; anything else → ``Kind/httpStatus`` (retryable per ``isRetryable``).
    ///
    /// The message is the server's own (`error.message`, Anthropic and OpenAI shapes) with the key redacted,
    /// plus a hint for the common cases.
    /// - Parameters:
    ///   - status: the HTTP status.
    ///   - headers: response headers with lowercased names (for `retry-after-ms` / `retry-after`).
    ///   - body: the (possibly partial) response body.
    ///   - provider: `anthropic` or `openai`.
    ///   - keyVariable: the environment variable the key came from, for the 401 hint.
    ///   - secrets: strings that must never appear in the message (the API key).
    ///   - now: seconds since 1970, to turn an HTTP-date `retry-after` into a delay.
    public static func fromHTTP(
        status: Int, headers: [String: String], body: [UInt8], provider: String, keyVariable: String?,
        secrets: [String?], now: Double
    ) -> ProviderError {
        let parsed = try? JSONValue.parse(bytes: body)
        let errorObject = parsed?["error"]
        let serverType = errorObject?["type"]?.stringValue ?? errorObject?["code"]?.stringValue
        var serverMessage = errorObject?["message"]?.stringValue ?? errorObject?.stringValue
        if serverMessage == nil {
            let text = String(decoding: body.prefix(400), as: UTF8.self).trimmingWhitespace()
            serverMessage = text.isEmpty ? nil : text
        }
        let lowered = String(decoding: body.prefix(8192), as: UTF8.self).lowercased()
        let retryAfter = RetryAfter.parse(headers: headers, now: now)

        var kind = Kind.httpStatus
        var hint = ""
        let mentionsQuota =
            lowered.contains("insufficient_quota") || lowered.contains("billing_error")
            || lowered.contains("credit balance") || lowered.contains("quota") || lowered.contains("billing")
        if status == 402 || ([400, 403, 429].contains(status) && mentionsQuota) {
            kind = .quotaExhausted
        } else if status == 401 || status == 403 {
            kind = .auth
        }
        switch kind {
        case .quotaExhausted: hint = "the account's quota or credit is exhausted; check billing (not retried)"
        case .auth:
            hint =
                status == 401
                ? "the API key was refused; check \(keyVariable ?? "the API key")"
                : "the API key is not allowed to do this; check its permissions"
        default:
            switch status {
            case 400: hint = "the request was rejected as invalid"
            case 404: hint = "not found; check the model name and the base URL"
            case 429: hint = "rate limited"
            case 529: hint = "the provider is overloaded"
            case 500...599: hint = "the provider had a server error"
            default: break
            }
        }
        var message = hint
        if let serverMessage {
            let detail = [serverType, serverMessage].compactMap { $0 }.joined(separator: ": ")
            message = hint.isEmpty ? detail : "\(hint) (\(detail))"
        }
        if message.isEmpty { message = "request failed" }
        return ProviderError(
            kind: kind, message: redacting(message, secrets: secrets), httpStatus: status, retryAfter: retryAfter,
            provider: provider)
    }
}

extension String {
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[start...end])
    }
}
