#if os(Linux)
    import CCurlShim
    import Foundation
    import Synchronization

    /// One streamed HTTP POST through libcurl, driven by a thread of its own (see `Sources/CCurlShim`).
    ///
    /// The thread waits in `curl_multi_poll`, so a request whose answer is slow to come uses no CPU (URLSession on
    /// Linux spins while it waits). It also enforces the two clocks of ``HTTPStreamingClient``: no byte for
    /// `idleTimeout` seconds → ``ProviderError/Kind/timeout``; the whole request longer than `deadline` →
    /// ``ProviderError/Kind/deadline``. ``cancel(_:)`` (the calling task was cancelled, or the body stream dropped)
    /// wakes the thread at once through `curl_multi_wakeup`.
    final class CurlTransfer: @unchecked Sendable {
        // @unchecked: `state` is a Mutex; `headerLines`, `status` and the curl handles are used by the transfer's
        // own thread only (curl calls the callbacks on the thread that drives it), except `multi`, which
        // ``cancel(_:)`` reads under `state`'s lock while the thread keeps it alive.
        typealias Head = (status: Int, headers: [String: String])

        private struct State {
            var headWaiter: CheckedContinuation<Head, any Error>?
            var head: Head?
            var failure: (any Error)?
            var isFinished = false
            var lastActivity = ContinuousClock.now
            /// The multi handle's address while the thread drives it (for `curl_multi_wakeup`), else 0.
            var multi: UInt = 0
        }

        private let state = Mutex(State())
        private let request: HTTPStreamingRequest
        private let body: AsyncThrowingStream<[UInt8], any Error>.Continuation
        private let provider: String
        private let idleTimeout: Double
        private let deadline: Double
        private var headerStatus = 0
        private var headerFields: [String: String] = [:]

        init(
            request: HTTPStreamingRequest, body: AsyncThrowingStream<[UInt8], any Error>.Continuation,
            provider: String, idleTimeout: Double, deadline: Double
        ) {
            self.request = request
            self.body = body
            self.provider = provider
            self.idleTimeout = idleTimeout
            self.deadline = deadline
        }

        /// Starts the transfer on its own thread.
        func start() {
            DedicatedThreads.run { self.perform() }
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

        /// Ends the transfer with `error` (the first failure wins) and wakes its thread, which then stops.
        func cancel(_ error: any Error) {
            fail(error)
            state.withLock { state in
                if let multi = UnsafeMutableRawPointer(bitPattern: state.multi) { _ = raaid_curl_multi_wakeup(multi) }
            }
        }

        /// Records the failure and hands it to whoever waits: the head's continuation, else the body stream.
        private func fail(_ error: any Error) {
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

        private var isFinished: Bool { state.withLock { $0.isFinished } }

        // MARK: - The transfer's thread

        /// Why libcurl cannot be used, or nil once it is loaded (the attempt is made once per process).
        static func loadFailure() -> String? {
            var reason = [CChar](repeating: 0, count: 512)
            guard raaid_curl_load(&reason, reason.count) != 0 else { return nil }
            return String(decoding: reason.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }

        /// Sent with every request, like other clients do (some gateways refuse requests without one).
        static let userAgent = "raaid"

        private func perform() {
            if let reason = Self.loadFailure() {
                fail(
                    ProviderError(
                        kind: .invalidResponse,
                        message: "\(reason); install libcurl (Debian/Ubuntu: apt-get install libcurl4) to call a model",
                        provider: provider))
                return
            }
            guard let easy = raaid_curl_easy_init() else {
                fail(ProviderError(kind: .network, message: "libcurl could not start a request", provider: provider))
                return
            }
            guard let multi = raaid_curl_multi_init() else {
                raaid_curl_easy_cleanup(easy)
                fail(ProviderError(kind: .network, message: "libcurl could not start a request", provider: provider))
                return
            }
            var errorBuffer = [CChar](repeating: 0, count: Int(RAAID_CURL_ERROR_SIZE))
            var headerList: UnsafeMutableRawPointer?
            for header in request.headers {
                headerList = raaid_curl_slist_append(headerList, "\(header.name): \(header.value)")
            }
            headerList = raaid_curl_slist_append(headerList, "Expect:")  // no 100-continue round trip
            let context = Unmanaged.passUnretained(self).toOpaque()

            // The body and the error buffer must outlive the easy handle: curl keeps pointers to both.
            let (code, detail): (Int32, String) = request.body.withUnsafeBytes { bodyBytes in
                errorBuffer.withUnsafeMutableBufferPointer { errorBytes in
                    raaid_curl_setopt_pointer(easy, RAAID_CURLOPT_URL, request.url.absoluteString)
                    raaid_curl_setopt_long(easy, RAAID_CURLOPT_POST, 1)
                    raaid_curl_setopt_pointer(easy, RAAID_CURLOPT_POSTFIELDS, bodyBytes.baseAddress)
                    raaid_curl_setopt_offset(easy, RAAID_CURLOPT_POSTFIELDSIZE_LARGE, Int64(bodyBytes.count))
                    raaid_curl_setopt_pointer(easy, RAAID_CURLOPT_HTTPHEADER, headerList)
                    raaid_curl_setopt_pointer(easy, RAAID_CURLOPT_ERRORBUFFER, errorBytes.baseAddress)
                    raaid_curl_setopt_long(easy, RAAID_CURLOPT_NOSIGNAL, 1)
                    raaid_curl_setopt_pointer(easy, RAAID_CURLOPT_USERAGENT, Self.userAgent)
                    // Through an https proxy, the proxy's "200 Connection established" block must not be taken
                    // for the server's answer.
                    raaid_curl_setopt_long(easy, RAAID_CURLOPT_SUPPRESS_CONNECT_HEADERS, 1)
                    // The usual override of the trusted certificates (OpenSSL, Go): a private CA, a TLS proxy.
                    if let bundle = ProcessInfo.processInfo.environment["SSL_CERT_FILE"], !bundle.isEmpty {
                        raaid_curl_setopt_pointer(easy, RAAID_CURLOPT_CAINFO, bundle)
                    }
                    raaid_curl_setopt_long(easy, RAAID_CURLOPT_TCP_KEEPALIVE, 1)
                    raaid_curl_setopt_long(easy, RAAID_CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(idleTimeout))
                    raaid_curl_setopt_callback(easy, RAAID_CURLOPT_HEADERFUNCTION) { data, size, count, context in
                        Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue()
                            .received(header: UnsafeRawBufferPointer(start: data, count: size * count))
                    }
                    raaid_curl_setopt_pointer(easy, RAAID_CURLOPT_HEADERDATA, context)
                    raaid_curl_setopt_callback(easy, RAAID_CURLOPT_WRITEFUNCTION) { data, size, count, context in
                        Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue()
                            .received(body: UnsafeRawBufferPointer(start: data, count: size * count))
                    }
                    raaid_curl_setopt_pointer(easy, RAAID_CURLOPT_WRITEDATA, context)
                    let code = drive(easy: easy, multi: multi)
                    state.withLock { $0.multi = 0 }
                    raaid_curl_multi_remove(multi, easy)
                    raaid_curl_multi_cleanup(multi)
                    raaid_curl_easy_cleanup(easy)
                    raaid_curl_slist_free_all(headerList)
                    let detail = String(
                        decoding: errorBytes.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                    return (code, detail)
                }
            }
            finish(code: code, detail: detail)
        }

        /// Runs the transfer until it ends, fails or is cancelled; returns curl's result code (0: complete).
        private func drive(easy: UnsafeMutableRawPointer, multi: UnsafeMutableRawPointer) -> Int32 {
            guard raaid_curl_multi_add(multi, easy) == 0 else { return 2 }  // CURLE_FAILED_INIT
            state.withLock { $0.multi = UInt(bitPattern: multi) }
            let deadlineAt = ContinuousClock.now + .milliseconds(Self.milliseconds(deadline))
            let idle = Duration.milliseconds(Self.milliseconds(idleTimeout))
            var running: Int32 = 1
            while true {
                guard raaid_curl_multi_perform(multi, &running) == 0 else { return 2 }
                if running == 0 {
                    var result: Int32 = 0
                    return raaid_curl_multi_result(multi, &result) == 1 ? result : 0
                }
                if isFinished { return 0 }  // cancelled, or failed in a callback
                let now = ContinuousClock.now
                let idleAt = state.withLock { $0.lastActivity } + idle
                if now >= deadlineAt {
                    fail(
                        ProviderError(
                            kind: .deadline,
                            message: "the request took longer than its \(ProviderError.format(seconds: deadline)) deadline",
                            provider: provider))
                    return 0
                }
                if now >= idleAt {
                    fail(
                        ProviderError(
                            kind: .timeout,
                            message: "no data from the server for \(ProviderError.format(seconds: idleTimeout))",
                            provider: provider))
                    return 0
                }
                let wait = min(idleAt, deadlineAt) - now
                let milliseconds = Int32(min(1000, max(1, wait / .milliseconds(1) + 1)))
                // A failing poll would otherwise spin until the idle timeout.
                guard raaid_curl_multi_poll(multi, milliseconds) == 0 else { return 2 }
            }
        }

        /// Seconds as whole milliseconds, clamped to a day (timeouts are never longer; no overflow).
        static func milliseconds(_ seconds: Double) -> Int {
            Int(min(max(seconds, 0), 86_400) * 1000)
        }

        /// One header line (status line, field, or the blank line that ends a header block).
        private func received(header: UnsafeRawBufferPointer) -> Int {
            touch()
            let line = String(decoding: header, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if line.hasPrefix("HTTP/") {
                // A new block (an interim 1xx answer may come first): "HTTP/1.1 200 OK", "HTTP/2 200".
                let parts = line.split(separator: " ", maxSplits: 2)
                headerStatus = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
                headerFields = [:]
            } else if line.isEmpty {
                if headerStatus >= 200 { deliverHead((headerStatus, headerFields)) }
            } else if let colon = line.firstIndex(of: ":") {
                let name = line[..<colon].lowercased()
                let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                headerFields[name] = headerFields[name].map { "\($0), \(value)" } ?? value
            }
            return isFinished ? 0 : header.count
        }

        /// Body bytes; returning less than given makes curl stop the transfer (after a cancellation).
        private func received(body bytes: UnsafeRawBufferPointer) -> Int {
            touch()
            if state.withLock({ $0.head == nil }) { deliverHead((headerStatus, headerFields)) }
            guard !isFinished else { return 0 }
            body.yield([UInt8](bytes))
            return bytes.count
        }

        private func touch() {
            state.withLock { $0.lastActivity = .now }
        }

        private func deliverHead(_ head: Head) {
            let waiter = state.withLock { state -> CheckedContinuation<Head, any Error>? in
                guard !state.isFinished, state.head == nil else { return nil }
                state.head = head
                defer { state.headWaiter = nil }
                return state.headWaiter
            }
            waiter?.resume(returning: head)
        }

        /// The transfer is over: report curl's failure, a missing answer, or the end of the body.
        private func finish(code: Int32, detail: String) {
            if code != 0 {
                let reason = String(cString: raaid_curl_strerror(code))
                let message = detail.isEmpty || detail == reason ? reason : "\(reason): \(detail)"
                switch code {
                case 28:  // CURLE_OPERATION_TIMEDOUT (connecting)
                    fail(ProviderError(kind: .timeout, message: "the request timed out (\(message))", provider: provider))
                default:
                    fail(ProviderError(kind: .network, message: "network error: \(message)", provider: provider))
                }
                return
            }
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
    }
#endif
