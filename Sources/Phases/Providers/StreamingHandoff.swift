import Synchronization

/// What a transport hands to ``HTTPStreamingClient/send(_:provider:)``: the response head (once), the body chunks and
/// the first failure, each to whoever waits for it; and the request's two clocks. Shared by the libcurl transfer
/// (Linux) and the URLSession delegate (elsewhere), so both end a request the same way.
///
/// A failure before the head resumes the head's waiter (and ends the body); after the head it ends the body with the
/// error. Only the first ending counts.
final class StreamingHandoff: Sendable {
    typealias Head = (status: Int, headers: [String: String])

    private struct State {
        var headWaiter: CheckedContinuation<Head, any Error>?
        var head: Head?
        var failure: (any Error)?
        var isFinished = false
        var lastActivity = ContinuousClock.now
    }

    private let state = Mutex(State())
    private let body: AsyncThrowingStream<[UInt8], any Error>.Continuation
    let provider: String
    /// Seconds without any byte before the request fails (``ProviderError/Kind/timeout``).
    let idleTimeout: Double
    /// Seconds the whole request may take, from now (``ProviderError/Kind/deadline``).
    let deadline: Double
    private let deadlineAt: ContinuousClock.Instant

    init(
        body: AsyncThrowingStream<[UInt8], any Error>.Continuation, provider: String, idleTimeout: Double,
        deadline: Double
    ) {
        self.body = body
        self.provider = provider
        self.idleTimeout = idleTimeout
        self.deadline = deadline
        deadlineAt = .now + .milliseconds(Self.milliseconds(deadline))
    }

    /// Seconds as whole milliseconds, clamped to a day (timeouts are never longer; no overflow).
    static func milliseconds(_ seconds: Double) -> Int {
        Int(min(max(seconds, 0), 86_400) * 1000)
    }

    /// Registers the continuation that receives the response head (or the failure).
    func awaitHead(_ continuation: CheckedContinuation<Head, any Error>) {
        let outcome = state.withLock { state -> Result<Head, any Error>? in
            if let head = state.head { return .success(head) }
            if let failure = state.failure { return .failure(failure) }
            state.headWaiter = continuation
            return nil
        }
        if let outcome { continuation.resume(with: outcome) }
    }

    /// The response head arrived (ignored after the first, or once the request ended).
    func deliverHead(_ head: Head) {
        let waiter = state.withLock { state -> CheckedContinuation<Head, any Error>? in
            guard !state.isFinished, state.head == nil else { return nil }
            state.lastActivity = .now
            state.head = head
            defer { state.headWaiter = nil }
            return state.headWaiter
        }
        waiter?.resume(returning: head)
    }

    /// Bytes arrived: body bytes (`bytes`), or any other sign of life (nil: a header line). Returns false once the
    /// request has ended (the transport should stop).
    @discardableResult
    func received(_ bytes: [UInt8]?) -> Bool {
        let isLive = state.withLock { state -> Bool in
            guard !state.isFinished else { return false }
            state.lastActivity = .now
            return true
        }
        if isLive, let bytes { body.yield(bytes) }
        return isLive
    }

    var isFinished: Bool { state.withLock { $0.isFinished } }
    var hasHead: Bool { state.withLock { $0.head != nil } }

    /// Ends the request with `error`, unless it already ended.
    func fail(_ error: any Error) {
        let (waiter, wasFinished) = state.withLock { state in
            let result = (state.headWaiter, state.isFinished)
            if !state.isFinished {
                state.isFinished = true
                state.failure = error
                state.headWaiter = nil
            }
            return result
        }
        guard !wasFinished else { return }
        if let waiter {
            waiter.resume(throwing: error)
            body.finish()
        } else {
            body.finish(throwing: error)
        }
    }

    /// The server closed the answer: the body ends, or, with no head, the request fails.
    func complete() {
        let hadHead = state.withLock { state -> Bool? in
            guard !state.isFinished else { return nil }
            guard state.head != nil else { return false }
            state.isFinished = true
            return true
        }
        switch hadHead {
        case nil: return
        case true?: body.finish()
        case false?:
            fail(
                ProviderError(
                    kind: .invalidResponse, message: "the server closed the connection without a response",
                    provider: provider))
        }
    }

    /// Fails the request when a clock ran out (and returns nil); otherwise returns when to check again.
    func checkClocks(now: ContinuousClock.Instant = .now) -> ContinuousClock.Instant? {
        let idleAt = state.withLock { $0.lastActivity } + .milliseconds(Self.milliseconds(idleTimeout))
        if now >= deadlineAt {
            fail(
                ProviderError(
                    kind: .deadline,
                    message: "the request took longer than its \(ProviderError.format(seconds: deadline)) deadline",
                    provider: provider))
            return nil
        }
        if now >= idleAt {
            fail(
                ProviderError(
                    kind: .timeout, message: "no data from the server for \(ProviderError.format(seconds: idleTimeout))",
                    provider: provider))
            return nil
        }
        return min(idleAt, deadlineAt)
    }
}
