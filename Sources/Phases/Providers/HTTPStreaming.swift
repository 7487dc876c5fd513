import Foundation
import Synchronization

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A POST with a JSON body, to be answered as a stream.
public struct HTTPStreamingRequest: Sendable {
    /// The endpoint.
    public var url: URL
    /// Request headers (the key travels here and nowhere else).
    public var headers: [(name: String, value: String)]
    /// The request body.
    public var body: [UInt8]

    /// Creates a request.
    public init(url: URL, headers: [(name: String, value: String)], body: [UInt8]) {
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// The head of an HTTP answer and its body as it arrives.
public struct HTTPStreamingResponse: Sendable {
    /// The HTTP status.
    public var status: Int
    /// Response headers, names lowercased.
    public var headers: [String: String]
    /// Body chunks as they arrive; ends when the server closes the body, throws a ``ProviderError`` on
    /// timeouts and network failures.
    public var body: AsyncThrowingStream<[UInt8], any Error>
}

/// Streams HTTP answers through a `URLSessionDataDelegate` (Linux has no `URLSession.bytes`).
///
/// Two clocks guard every request: an idle timeout (no bytes for `idleTimeout` seconds → ``ProviderError/Kind/timeout``)
/// and a total deadline from the moment the request is sent (→ ``ProviderError/Kind/deadline``), so a
/// server that trickles a byte a second cannot hold a run forever. Cancelling the calling task, or dropping
/// the body stream, cancels the `URLSessionTask`.
public struct HTTPStreamingClient: Sendable {
    /// Seconds without any byte before the request fails.
    public var idleTimeout: Double
    /// Seconds the whole request (head and body) may take.
    public var deadline: Double

    /// Creates a client; defaults: 120 s idle, 600 s total.
    public init(idleTimeout: Double = 120, deadline: Double = 600) {
        self.idleTimeout = idleTimeout
        self.deadline = deadline
    }

    /// Sends `request` and returns once the response head has arrived.
    /// - Parameter provider: the provider's name, for error messages.
    /// - Throws: ``ProviderError`` (`network`, `timeout`, `deadline`), `CancellationError`.
    public func send(_ request: HTTPStreamingRequest, provider: String) async throws -> HTTPStreamingResponse {
        var urlRequest = URLRequest(url: request.url)
        urlRequest.httpMethod = "POST"
        for header in request.headers { urlRequest.setValue(header.value, forHTTPHeaderField: header.name) }
        urlRequest.httpBody = Data(request.body)
        urlRequest.timeoutInterval = idleTimeout + 30  // our own watchdog fires first

        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = idleTimeout + 30
        configuration.timeoutIntervalForResource = deadline + 30
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil

        let (body, bodyContinuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
        let delegate = StreamingTaskDelegate(
            body: bodyContinuation, provider: provider, idleTimeout: idleTimeout, deadline: deadline)
        bodyContinuation.onTermination = { [weak delegate] termination in
            if case .cancelled = termination { delegate?.fail(CancellationError()) }
        }
        let session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: nil)
        let task = session.dataTask(with: urlRequest)
        session.finishTasksAndInvalidate()  // the session retains its delegate until the task ends
        delegate.start(task)

        let head = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                delegate.awaitHead(continuation)
            }
        } onCancel: {
            delegate.fail(CancellationError())
        }
        return HTTPStreamingResponse(status: head.status, headers: head.headers, body: body)
    }
}

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
