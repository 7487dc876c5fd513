import Foundation
import Synchronization

#if !os(Linux) && canImport(FoundationNetworking)
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

/// Streams HTTP answers: on Linux through libcurl loaded at run time (``CurlTransfer``: URLSession there keeps a core
/// busy while an answer is pending, and linking it slows every raaid start-up), elsewhere through a
/// `URLSessionDataDelegate`.
///
/// Two clocks guard every request: an idle timeout (no bytes for `idleTimeout` seconds → ``ProviderError/Kind/timeout``)
/// and a total deadline from the moment the request is sent (→ ``ProviderError/Kind/deadline``), so a
/// server that trickles a byte a second cannot hold a run forever. Cancelling the calling task, or dropping
/// the body stream, cancels the request.
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

    /// Checks that requests can be sent at all: on Linux, that libcurl loads. Providers call it when they are made,
    /// so a missing library is a configuration error at the start of a run (exit 3), not a network error retried.
    /// - Throws: ``ProviderConfigurationError`` `provider_setup_failed`, saying what to install.
    public static func checkTransport() throws(ProviderConfigurationError) {
        #if os(Linux)
            if let message = CurlTransfer.unavailable() {
                throw ProviderConfigurationError(code: "provider_setup_failed", message: message)
            }
        #endif
    }

    /// Sends `request` and returns once the response head has arrived.
    /// - Parameter provider: the provider's name, for error messages.
    /// - Throws: ``ProviderError`` (`network`, `timeout`, `deadline`), `CancellationError`.
    public func send(_ request: HTTPStreamingRequest, provider: String) async throws -> HTTPStreamingResponse {
        let (body, bodyContinuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
        let handoff = StreamingHandoff(
            body: bodyContinuation, provider: provider, idleTimeout: idleTimeout, deadline: deadline)
        let cancel = start(request, handoff)
        bodyContinuation.onTermination = { termination in
            if case .cancelled = termination { cancel(CancellationError()) }
        }
        let head = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                handoff.awaitHead(continuation)
            }
        } onCancel: {
            cancel(CancellationError())
        }
        return HTTPStreamingResponse(status: head.status, headers: head.headers, body: body)
    }

    /// Starts the request on the platform's transport; returns how to cancel it.
    private func start(_ request: HTTPStreamingRequest, _ handoff: StreamingHandoff) -> @Sendable (any Error) -> Void {
        #if os(Linux)
            let transfer = CurlTransfer(request: request, handoff: handoff)
            transfer.start()
            return { [weak transfer] error in transfer?.cancel(error) }
        #else
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

            let delegate = StreamingTaskDelegate(handoff: handoff)
            let session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: nil)
            let task = session.dataTask(with: urlRequest)
            session.finishTasksAndInvalidate()  // the session retains its delegate until the task ends
            delegate.start(task)
            return { [weak delegate] error in delegate?.cancel(error) }
        #endif
    }
}
