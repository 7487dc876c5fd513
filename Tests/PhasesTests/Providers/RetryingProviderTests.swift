import Testing

@testable import Phases

@Suite(.timeLimit(.minutes(1))) struct RetryingProviderTests {
    static let ok = ModelResponse(content: [.text("ok")], stopReason: .endTurn, usage: TokenUsage(), model: "m")
    static let request = ModelRequest(model: "m", system: "", messages: [.user("hi")])

    static func http(_ status: Int, _ kind: ProviderError.Kind = .httpStatus, retryAfter: Double? = nil)
        -> ProviderError
    {
        ProviderError(kind: kind, message: "status \(status)", httpStatus: status, retryAfter: retryAfter)
    }

    func run(
        _ script: [FakeProvider.Outcome], policy: RetryPolicy = RetryPolicy(maxAttempts: 4, baseDelay: 1, maxDelay: 5)
    )
        async -> (Result<ModelResponse, any Error>, calls: Int, retries: [(Int, Double)], sleeps: [Double])
    {
        let fake = FakeProvider(script)
        let retries = Collector<RetryRecord>()
        let sleeps = Collector<Double>()
        let provider = RetryingProvider(
            fake, policy: policy,
            onRetry: { _, attempt, delay in retries.append(RetryRecord(attempt: attempt, delay: delay)) },
            sleep: { sleeps.append($0) }, jitter: { 1 })
        let result: Result<ModelResponse, any Error>
        do {
            result = .success(try await provider.complete(Self.request) { _ in })
        } catch {
            result = .failure(error)
        }
        return (result, fake.calls, retries.values.map { ($0.attempt, $0.delay) }, sleeps.values)
    }

    struct RetryRecord: Sendable {
        var attempt: Int
        var delay: Double
    }

    @Test(arguments: [408, 409, 429, 500, 502, 503, 529])
    func retries_retryableStatuses_thenSucceeds(status: Int) async throws {
        let (result, calls, retries, _) = await run([.failure(Self.http(status)), .response(Self.ok)])
        #expect(try result.get() == Self.ok)
        #expect(calls == 2)
        #expect(retries.map(\.0) == [1])
    }

    @Test(arguments: [400, 401, 403, 404])
    func neverRetries_clientErrors(status: Int) async {
        let kind: ProviderError.Kind = status == 401 || status == 403 ? .auth : .httpStatus
        let (result, calls, retries, _) = await run([.failure(Self.http(status, kind)), .response(Self.ok)])
        #expect(calls == 1)
        #expect(retries.isEmpty)
        #expect((try? result.get()) == nil)
    }

    @Test func neverRetries_quotaExhausted_orDeadline() async {
        for error in [Self.http(429, .quotaExhausted), ProviderError(kind: .deadline, message: "slow")] {
            let (_, calls, _, _) = await run([.failure(error), .response(Self.ok)])
            #expect(calls == 1)
        }
    }

    @Test func retries_networkTimeoutAndTruncation() async throws {
        let (result, calls, _, _) = await run([
            .failure(ProviderError(kind: .network, message: "reset")),
            .failure(ProviderError(kind: .timeout, message: "idle")),
            .failure(ProviderError(kind: .truncatedStream, message: "cut")), .response(Self.ok),
        ])
        #expect(try result.get() == Self.ok)
        #expect(calls == 4)
    }

    @Test func backoff_isExponential_capped_andStopsAtMaxAttempts() async {
        let error = Self.http(503)
        let (result, calls, retries, sleeps) = await run(
            Array(repeating: .failure(error), count: 6), policy: RetryPolicy(maxAttempts: 5, baseDelay: 1, maxDelay: 5))
        #expect(calls == 5)
        #expect(sleeps == [1, 2, 4, 5])
        #expect(retries.map(\.0) == [1, 2, 3, 4])
        #expect((try? result.get()) == nil)
    }

    @Test func jitter_scalesBetweenHalfAndFull() {
        let policy = RetryPolicy(baseDelay: 2, maxDelay: 100)
        #expect(policy.delay(after: Self.http(500), attempt: 3, jitter: 0) == 4)
        #expect(policy.delay(after: Self.http(500), attempt: 3, jitter: 1) == 8)
    }

    @Test func retryAfter_isHonoured_andTooLongGivesUp() async {
        let (_, _, retries, sleeps) = await run([.failure(Self.http(429, retryAfter: 7.5)), .response(Self.ok)])
        #expect(sleeps == [7.5])
        #expect(retries.first?.1 == 7.5)
        let (_, calls, _, _) = await run([.failure(Self.http(429, retryAfter: 3600)), .response(Self.ok)])
        #expect(calls == 1)
    }

    @Test func retryAfterHeaders_parseMillisecondsSecondsAndDates() {
        let now = RetryAfter.parseHTTPDate("Sun, 06 Nov 1994 08:49:37 GMT")!
        #expect(now == 784_111_777)
        #expect(RetryAfter.parse(headers: ["retry-after-ms": "1500", "retry-after": "9"], now: now) == 1.5)
        #expect(RetryAfter.parse(headers: ["retry-after": "9"], now: now) == 9)
        #expect(RetryAfter.parse(headers: ["retry-after": "Sun, 06 Nov 1994 08:50:07 GMT"], now: now) == 30)
        #expect(RetryAfter.parse(headers: ["retry-after": "soon"], now: now) == nil)
        #expect(RetryAfter.parse(headers: [:], now: now) == nil)
    }

    @Test func cancellation_stopsRetrying() async {
        let fake = FakeProvider(Array(repeating: .failure(Self.http(503)), count: 10))
        let provider = RetryingProvider(fake, sleep: { _ in throw CancellationError() })
        await #expect(throws: CancellationError.self) { _ = try await provider.complete(Self.request) { _ in } }
        #expect(fake.calls == 1)
    }
}
