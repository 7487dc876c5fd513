#if os(Linux)
    import CCurlShim
    import Foundation
    import Synchronization

    /// One streamed HTTP POST through libcurl, driven by a thread of its own (see `Sources/CCurlShim`).
    ///
    /// The thread waits in `curl_multi_poll`, so a request whose answer is slow to come uses no CPU (URLSession on
    /// Linux spins while it waits); between waits it checks the ``StreamingHandoff``'s clocks. ``cancel(_:)`` (the
    /// calling task was cancelled, or the body stream dropped) wakes the thread at once through `curl_multi_wakeup`.
    final class CurlTransfer: @unchecked Sendable {
        // @unchecked: `headerStatus`, `headerFields` and the curl handles are used by the transfer's own thread only
        // (curl calls the callbacks on the thread that drives it); `multi` is a Mutex, read by ``cancel(_:)`` while
        // the thread keeps the handle alive.
        private let request: HTTPStreamingRequest
        private let handoff: StreamingHandoff
        /// The multi handle's address while the thread drives it (for `curl_multi_wakeup`), else 0.
        private let multi = Mutex<UInt>(0)
        private var headerStatus = 0
        private var headerFields: [String: String] = [:]

        init(request: HTTPStreamingRequest, handoff: StreamingHandoff) {
            self.request = request
            self.handoff = handoff
        }

        /// Starts the transfer on its own thread.
        func start() {
            DedicatedThreads.run { self.perform() }
        }

        /// Ends the transfer with `error` (the first failure wins) and wakes its thread, which then stops.
        func cancel(_ error: any Error) {
            handoff.fail(error)
            multi.withLock { address in
                if let multi = UnsafeMutableRawPointer(bitPattern: address) { _ = raaid_curl_multi_wakeup(multi) }
            }
        }

        private var provider: String { handoff.provider }
        private func fail(_ error: any Error) { handoff.fail(error) }

        // MARK: - The transfer's thread

        /// Why libcurl cannot be used and what to do, or nil once it is loaded (the attempt is made once per process).
        static func unavailable() -> String? {
            var reason = [CChar](repeating: 0, count: 512)
            guard raaid_curl_load(&reason, reason.count) != 0 else { return nil }
            let text = String(decoding: reason.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            return "\(text); install libcurl (Debian/Ubuntu: apt-get install libcurl4) to use a model"
        }

        /// Sent with every request, like other clients do (some gateways refuse requests without one).
        static let userAgent = "raaid"

        private func perform() {
            if let message = Self.unavailable() {
                fail(ProviderError(kind: .invalidResponse, message: message, provider: provider))
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
                    raaid_curl_setopt_long(easy, RAAID_CURLOPT_CONNECTTIMEOUT_MS, StreamingHandoff.milliseconds(handoff.idleTimeout))
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
                    self.multi.withLock { $0 = 0 }
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
        private func drive(easy: UnsafeMutableRawPointer, multi handle: UnsafeMutableRawPointer) -> Int32 {
            guard raaid_curl_multi_add(handle, easy) == 0 else { return 2 }  // CURLE_FAILED_INIT
            multi.withLock { $0 = UInt(bitPattern: handle) }
            var running: Int32 = 1
            while true {
                guard raaid_curl_multi_perform(handle, &running) == 0 else { return 2 }
                if running == 0 {
                    var result: Int32 = 0
                    return raaid_curl_multi_result(handle, &result) == 1 ? result : 0
                }
                if handoff.isFinished { return 0 }  // cancelled, or failed in a callback
                let now = ContinuousClock.now
                guard let next = handoff.checkClocks(now: now) else { return 0 }
                let milliseconds = Int32(min(1000, max(1, (next - now) / .milliseconds(1) + 1)))
                // A failing poll would otherwise spin until the idle timeout.
                guard raaid_curl_multi_poll(handle, milliseconds) == 0 else { return 2 }
            }
        }

        /// One header line (status line, field, or the blank line that ends a header block).
        private func received(header: UnsafeRawBufferPointer) -> Int {
            guard handoff.received(nil) else { return 0 }
            let line = String(decoding: header, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if line.hasPrefix("HTTP/") {
                // A new block (an interim 1xx answer may come first): "HTTP/1.1 200 OK", "HTTP/2 200".
                let parts = line.split(separator: " ", maxSplits: 2)
                headerStatus = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
                headerFields = [:]
            } else if line.isEmpty {
                if headerStatus >= 200 { handoff.deliverHead((headerStatus, headerFields)) }
            } else if let colon = line.firstIndex(of: ":") {
                let name = line[..<colon].lowercased()
                let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                headerFields[name] = headerFields[name].map { "\($0), \(value)" } ?? value
            }
            return header.count
        }

        /// Body bytes; returning less than given makes curl stop the transfer (after a cancellation).
        private func received(body bytes: UnsafeRawBufferPointer) -> Int {
            if !handoff.hasHead { handoff.deliverHead((headerStatus, headerFields)) }
            return handoff.received([UInt8](bytes)) ? bytes.count : 0
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
            handoff.complete()
        }
    }
#endif
