import Foundation
import Memory
import Synchronization

#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Musl)
    @preconcurrency import Musl
#endif

/// A tiny HTTP/1.1 server for provider tests: binds 127.0.0.1 on port 0, answers connection N with scripted
/// response N (the last one repeats), records every request, and speaks just enough HTTP for URLSession
/// (Content-Length bodies, `Expect: 100-continue`, `Connection: close` answers whose body ends at close).
public final class ScriptedHTTPServer: Sendable {
    /// One step of writing a response.
    public enum Step: Sendable {
        /// Writes bytes at once.
        case write([UInt8])
        /// Writes bytes `chunk` at a time, pausing `delay` seconds between chunks.
        case trickle([UInt8], chunk: Int, delay: Double)
        /// Waits.
        case pause(Double)
    }

    /// A scripted answer.
    public struct Response: Sendable {
        public var status: Int
        public var headers: [String: String]
        public var steps: [Step]

        public init(status: Int = 200, headers: [String: String] = [:], steps: [Step]) {
            self.status = status
            self.headers = headers
            self.steps = steps
        }

        /// A 200 event stream with `body` written at once.
        public static func sse(_ body: String, headers: [String: String] = [:]) -> Response {
            Response(
                headers: ["content-type": "text/event-stream"].merging(headers) { $1 },
                steps: [.write(Array(body.utf8))])
        }

        /// A 200 event stream written in `chunk`-byte pieces.
        public static func sse(_ body: String, chunk: Int, delay: Double = 0.001) -> Response {
            Response(
                headers: ["content-type": "text/event-stream"],
                steps: [.trickle(Array(body.utf8), chunk: chunk, delay: delay)])
        }

        /// A JSON error answer.
        public static func json(status: Int, _ body: String, headers: [String: String] = [:]) -> Response {
            Response(
                status: status, headers: ["content-type": "application/json"].merging(headers) { $1 },
                steps: [.write(Array(body.utf8))])
        }
    }

    /// A request the server saw.
    public struct Request: Sendable {
        public var method: String
        public var path: String
        public var headers: [String: String]
        public var body: [UInt8]
        public var json: JSONValue? { try? JSONValue.parse(bytes: body) }
    }

    public let port: UInt16
    private let listener: Int32
    private let responses: [Response]
    private let state = Mutex<(connections: Int, requests: [Request], stopped: Bool)>((0, [], false))

    public var baseURL: String { "http://127.0.0.1:\(port)" }
    public var requests: [Request] { state.withLock { $0.requests } }

    public init(_ responses: [Response]) throws {
        self.responses = responses
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = UInt16(bigEndian: address.sin_port)
        listener = fd
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    deinit { stop() }

    /// Stops accepting (connections in flight finish their script).
    ///
    /// Only shuts the listener down (its `accept` then fails); the accept thread closes it. Closing it here would
    /// free the descriptor number while that thread may be about to call `accept` again, and in a test process
    /// the number is soon reused by another test's listener: the stale thread would then answer that test's
    /// requests with this server's script.
    public func stop() {
        let wasStopped = state.withLock { state in
            defer { state.stopped = true }
            return state.stopped
        }
        guard !wasStopped else { return }
        shutdown(listener, Int32(SHUT_RDWR))
    }

    private func acceptLoop() {
        defer { close(listener) }
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            if state.withLock({ $0.stopped }) {
                close(client)
                return
            }
            let index = state.withLock { state in
                defer { state.connections += 1 }
                return state.connections
            }
            let response = responses[min(index, responses.count - 1)]
            let thread = Thread { [self] in serve(client, response) }
            thread.start()
        }
    }

    private func serve(_ fd: Int32, _ response: Response) {
        defer { close(fd) }
        guard let request = readRequest(fd) else { return }
        state.withLock { $0.requests.append(request) }
        var head = "HTTP/1.1 \(response.status) \(Self.reason(response.status))\r\n"
        for (name, value) in response.headers { head += "\(name): \(value)\r\n" }
        head += "connection: close\r\n\r\n"
        guard send(fd, Array(head.utf8)) else { return }
        for step in response.steps {
            switch step {
            case .write(let bytes):
                guard send(fd, bytes) else { return }
            case .trickle(let bytes, let chunk, let delay):
                var offset = 0
                while offset < bytes.count {
                    let end = min(bytes.count, offset + chunk)
                    guard send(fd, Array(bytes[offset..<end])) else { return }
                    offset = end
                    if delay > 0 { usleep(UInt32(delay * 1_000_000)) }
                }
            case .pause(let seconds):
                usleep(UInt32(seconds * 1_000_000))
            }
        }
        shutdown(fd, Int32(SHUT_WR))
    }

    private func readRequest(_ fd: Int32) -> Request? {
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        let separator: [UInt8] = [13, 10, 13, 10]
        var headEnd: Int?
        while headEnd == nil {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { return nil }
            buffer.append(contentsOf: chunk[0..<count])
            if buffer.count >= 4 {
                for i in 0...(buffer.count - 4) where Array(buffer[i..<(i + 4)]) == separator {
                    headEnd = i
                    break
                }
            }
        }
        let head = String(decoding: buffer[0..<headEnd!], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                in: .whitespaces)
        }
        if headers["expect"]?.lowercased() == "100-continue" {
            _ = send(fd, Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
        }
        var body = Array(buffer[(headEnd! + 4)...])
        let length = Int(headers["content-length"] ?? "0") ?? 0
        while body.count < length {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            body.append(contentsOf: chunk[0..<count])
        }
        return Request(method: String(requestLine[0]), path: String(requestLine[1]), headers: headers, body: body)
    }

    private func send(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if sent < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += sent
        }
        return true
    }

    private static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 529: "Overloaded"
        default: "Status"
        }
    }
}
