/// Wraps a provider and retries what may succeed on a second try (see ``ProviderError/isRetryable`` and
/// ``RetryPolicy``): 408, 409, 429, 5xx, 529, dropped connections, idle timeouts and truncated streams.
/// Never 400/401/403/404, an exhausted quota, a blown deadline or a cancellation.
///
/// A retried request streams again from the start: `onRetry` runs before each wait so the caller can emit
/// its `error` event (`will_retry: true`) and drop the partial output it showed.
public struct RetryingProvider: LLMProvider {
    /// Called before each retry with the error, the 1-based number of the attempt that failed, and the
    /// delay in seconds.
    public typealias RetryHandler = @Sendable (_ error: ProviderError, _ attempt: Int, _ delay: Double) -> Void

    /// The wrapped provider.
    public let base: any LLMProvider
    /// The policy.
    public let policy: RetryPolicy
    private let onRetry: RetryHandler
    private let sleep: @Sendable (Double) async throws -> Void
    private let jitter: @Sendable () -> Double

    public var name: String { base.name }

    /// Creates a retrying wrapper.
    /// - Parameters:
    ///   - base: the provider to call.
    ///   - policy: attempts and delays.
    ///   - onRetry: told about each retry before the wait.
    ///   - sleep: waits the given seconds (tests pass a fake; must throw `CancellationError` when cancelled).
    ///   - jitter: a number in `0...1` (tests pass a constant).
    public init(
        _ base: any LLMProvider, policy: RetryPolicy = .standard, onRetry: @escaping RetryHandler = { _, _, _ in },
        sleep: @escaping @Sendable (Double) async throws -> Void = { seconds in
            try await Task.sleep(for: .milliseconds(Int64(seconds * 1000)))
        },
        jitter: @escaping @Sendable () -> Double = { Double.random(in: 0...1) }
    ) {
        self.base = base
        self.policy = policy
        self.onRetry = onRetry
        self.sleep = sleep
        self.jitter = jitter
    }

    public func complete(_ request: ModelRequest, onEvent: @escaping @Sendable (ModelStreamEvent) -> Void)
        async throws -> ModelResponse
    {
        var attempt = 1
        while true {
            do {
                return try await base.complete(request, onEvent: onEvent)
            } catch let error as ProviderError {
                try Task.checkCancellation()
                guard let delay = policy.delay(after: error, attempt: attempt, jitter: jitter()) else { throw error }
                onRetry(error, attempt, delay)
                try await sleep(delay)
                attempt += 1
            }
        }
    }
}
