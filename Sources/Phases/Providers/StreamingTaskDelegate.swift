// Linux uses CurlTransfer instead (CurlTransport.swift).
#if !os(Linux)
import Foundation
import Synchronization

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The delegate of one request: hands URLSession's callbacks to a ``StreamingHandoff`` and runs a watchdog on its
/// clocks. All state sits behind a `Mutex`, so it is `Sendable`.
final class StreamingTaskDelegate: NSObject, URLSessionDataDelegate, Sendable {
    private struct Control {
        var task: URLSessionTask?
        var watchdog: Task<Void, Never>?
    }

    private let control = Mutex(Control())
    private let handoff: StreamingHandoff

    init(handoff: StreamingHandoff) {
        self.handoff = handoff
    }

    /// Starts the task and the watchdog.
    func start(_ task: URLSessionTask) {
        let watchdog = Task { [weak self] in
            while !Task.isCancelled {
                guard let self else { return }
                guard let next = self.handoff.checkClocks() else {
                    self.stop()
                    return
                }
                try? await Task.sleep(until: next, clock: .continuous)
            }
        }
        control.withLock { $0 = Control(task: task, watchdog: watchdog) }
        if handoff.isFinished {
            stop()
        } else {
            task.resume()
        }
    }

    /// Ends the request with `error` (first failure wins) and cancels the task.
    func cancel(_ error: any Error) {
        handoff.fail(error)
        stop()
    }

    private func stop() {
        let (task, watchdog) = control.withLock { ($0.task, $0.watchdog) }
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
        handoff.deliverHead((status, headers))
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        handoff.received([UInt8](data))
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        if let error {
            cancel(mapped(error))
            return
        }
        control.withLock { $0.watchdog }?.cancel()
        handoff.complete()
    }

    private func mapped(_ error: any Error) -> any Error {
        let provider = handoff.provider
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
