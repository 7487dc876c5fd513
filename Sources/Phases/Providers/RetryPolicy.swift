/// When and how long ``RetryingProvider`` waits before trying again.
///
/// The delay before retry n (1-based) is `min(maxDelay, baseDelay · 2^(n-1))` scaled by a jitter factor
/// drawn from `0.5...1.0` ("equal jitter"), unless the server said how long to wait (`retry-after-ms`,
/// `retry-after`): then exactly that, unless it exceeds `maxRetryAfter`, in which case the error is
/// returned at once (waiting longer than that silently is worse than failing).
public struct RetryPolicy: Sendable {
    /// Total attempts, the first included (default 5: one try and four retries).
    public var maxAttempts: Int
    /// The first backoff, in seconds (default 1).
    public var baseDelay: Double
    /// The largest backoff, in seconds (default 30).
    public var maxDelay: Double
    /// The longest server-requested wait honoured, in seconds (default 120).
    public var maxRetryAfter: Double

    /// Creates a policy.
    public init(maxAttempts: Int = 5, baseDelay: Double = 1, maxDelay: Double = 30, maxRetryAfter: Double = 120) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
    }

    /// The default policy.
    public static let standard = RetryPolicy()

    /// The wait before the retry that follows failed attempt `attempt` (1-based), or nil to give up.
    /// - Parameter jitter: a number in `0...1` (random in production).
    public func delay(after error: ProviderError, attempt: Int, jitter: Double) -> Double? {
        guard error.isRetryable, attempt < maxAttempts else { return nil }
        if let retryAfter = error.retryAfter {
            return retryAfter <= maxRetryAfter ? max(0, retryAfter) : nil
        }
        let exponential = min(maxDelay, baseDelay * Double(1 << min(attempt - 1, 30)))
        return exponential * (0.5 + 0.5 * min(max(jitter, 0), 1))
    }
}
