// Linux uses CurlTransfer instead (CurlTransport.swift).
#if !os(Linux)
import Foundation
import Synchronization

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The delegate of one request: turns URLSession callbacks into a head continuation and a body stream and
/// runs the idle/deadline watchdog. All state sits behind a `Mutex`, so it is `Sendable`.
final class StreamingTaskDelegate: NSObject, URLSessionDataDelegate, Sendable {
    typealias Head = (status: Int, headers: [String: String])

    private struct State {
        var headWaiter: CheckedContinuation<Head, any Error>?
        var head: Head?
        var failure: (any Error)?
        var isFinished = false
        var lastActivity = ContinuousClock.now
        var task: URLSessionTask?
        var watchdog: Task<Void, Never>?
    }

    private let state = Mutex(State())
    private let body: AsyncThrowingStream<[UInt8], any Error>.Continuation
    private let provider: String
    private let idleTimeout: Double
    private let deadline: Double

    init(
        body: AsyncThrowingStream<[UInt8], any Error>.Continuation, provider: String, idleTimeout: Double,
        deadline: Double
    ) {
        self.body = body
        self.provider = provider
        self.idleTimeout = idleTimeout
        self.deadline = deadline
    }

    /// Starts the task and the watchdog.
    func start(_ task: URLSessionTask) {
        let deadlineAt = ContinuousClock.now + .milliseconds(Int64(deadline * 1000))
        let watchdog = Task { [weak self] in
            while !Task.isCancelled {
                guard let self else { return }
                let now = ContinuousClock.now
                let idleAt = self.state.withLock { $0.lastActivity } + .milliseconds(Int64(self.idleTimeout * 1000))
                if now >= deadlineAt {
                    self.fail(
                        ProviderError(
                            kind: .deadline,
                            message:
                                "the request took longer than its \(ProviderError.format(seconds: self.deadline)) deadline",
                            provider: self.provider))
                    return
                }
                if now >= idleAt {
                    self.fail(
                        ProviderError(
                            kind: .timeout,
                            message: "no data from the server for \(ProviderError.format(seconds: self.idleTimeout))",
                            provider: self.provider))
                    return
                }
                try? await Task.sleep(until: min(idleAt, deadlineAt), clock: .continuous)
            }
        }
        let alreadyFailed = state.withLock { state -> Bool in
            state.task = task
            state.watchdog = watchdog
            return state.isFinished
        }
        if alreadyFailed {
            watchdog.cancel()
            task.cancel()
        } else {
            task.resume()
        }
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

    /// Ends the request with `error` (first failure wins) and cancels the task.
    func fail(_ error: any Error) {
        let (waiter, task, watchdog, wasFinished) = state.withLock { state in
            let result = (state.headWaiter, state.task, state.watchdog, state.isFinished)
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
        watchdog?.cancel()
        task?.cancel()
    }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void
    ) {
        var headers: [String: String] = [:]
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        if let http = response as? HTTPURLResponse {
            for (name, value) in http.allHeaderFields {
                if let name = name as? String, let value = value as? String { headers[name.lowercased()] = value }
            }
        }
        let head: Head = (status, headers)
        let waiter = state.withLock { state -> CheckedContinuation<Head, any Error>? in
            guard !state.isFinished else { return nil }
            state.lastActivity = .now
            state.head = head
            defer { state.headWaiter = nil }
            return state.headWaiter
        }
        waiter?.resume(returning: head)
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let isLive = state.withLock { state -> Bool in
            guard !state.isFinished else { return false }
            state.lastActivity = .now
            return true
        }
        if isLive { body.yield([UInt8](data)) }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        if let error {
            fail(mapped(error))
            return
        }
        let (waiter, watchdog, wasFinished, hadHead) = state.withLock { state in
            let result = (state.headWaiter, state.watchdog, state.isFinished, state.head != nil)
            state.isFinished = true
            state.headWaiter = nil
            return result
        }
        guard !wasFinished else { return }
        watchdog?.cancel()
        if !hadHead {
            let error = ProviderError(
                kind: .invalidResponse, message: "the server closed the connection without a response",
                provider: provider)
            waiter?.resume(throwing: error)
            body.finish(throwing: error)
        } else {
            body.finish()
        }
    }

    private func mapped(_ error: any Error) -> any Error {
        let nsError = error as NSError
        if nsError.domain == NSURLErrorDomain {
            switch nsError.code {
            case NSURLErrorTimedOut:
                return ProviderError(kind: .timeout, message: "the request timed out", provider: provider)
            case NSURLErrorCancelled:
                return ProviderError(kind: .cancelled, message: "the request was cancelled", provider: provider)
            default: break
            }
        }
        return ProviderError(
            kind: .network, message: "network error: \(nsError.localizedDescription)", provider: provider)
    }
}
#endif
