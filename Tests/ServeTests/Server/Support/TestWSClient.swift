@testable import Serve

/// A minimal WebSocket client over a real socket for `.live` server tests: raw bytes in, raw frames out.
struct TestWSClient {
    struct Frame: Equatable {
        var fin: Bool
        var opcode: UInt8
        var payload: [UInt8]
    }

    enum Failure: Error {
        case timedOut
        case closedEarly
    }

    /// One reactor for every test client (the servers have their own).
    static let reactor: Reactor = {
        do { return try Reactor() } catch { fatalError("test reactor: \(error)") }
    }()

    let io: AsyncSocket
    var buffer: [UInt8] = []

    static func connect(to address: SocketAddress) async throws -> TestWSClient {
        TestWSClient(io: try await AsyncSocket.connect(to: address, reactor: reactor))
    }

    /// Connects and completes the opening handshake on `path`; returns the client and the response head.
    static func open(_ address: SocketAddress, path: String = "/echo") async throws -> TestWSClient {
        var client = try await connect(to: address)
        try await client.write(Array(Self.upgradeRequest(path: path).utf8))
        let head = try await client.readHead()
        guard head.hasPrefix("HTTP/1.1 101") else { throw Failure.closedEarly }
        return client
    }

    static func upgradeRequest(path: String, key: String = "dGhlIHNhbXBsZSBub25jZQ==") -> String {
        "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: \(key)\r\nSec-WebSocket-Version: 13\r\n\r\n"
    }

    /// A client frame, masked unless `masked` is false.
    static func frame(
        _ opcode: UInt8, _ payload: [UInt8], fin: Bool = true, masked: Bool = true,
        mask: [UInt8] = [0x37, 0xFA, 0x21, 0x3D]
    ) -> [UInt8] {
        var bytes: [UInt8] = [(fin ? 0x80 : 0) | opcode]
        let maskBit: UInt8 = masked ? 0x80 : 0
        switch payload.count {
        case 0...125:
            bytes.append(maskBit | UInt8(payload.count))
        case 126...0xFFFF:
            bytes += [maskBit | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        default:
            bytes.append(maskBit | 127)
            for shift in stride(from: 56, through: 0, by: -8) {
                bytes.append(UInt8(truncatingIfNeeded: payload.count >> shift))
            }
        }
        guard masked else { return bytes + payload }
        bytes += mask
        for (index, byte) in payload.enumerated() { bytes.append(byte ^ mask[index & 3]) }
        return bytes
    }

    func write(_ bytes: [UInt8]) async throws {
        guard try await io.write(bytes, stallTimeout: .seconds(10)) else { throw Failure.timedOut }
    }

    /// Reads more bytes into the buffer; false on end of file.
    mutating func fill(timeout: Duration) async throws -> Bool {
        switch try await io.read(deadline: .now + timeout) {
        case .bytes(let bytes):
            buffer += bytes
            return true
        case .endOfFile: return false
        case .timedOut: throw Failure.timedOut
        case .interrupted: return true
        }
    }

    mutating func readExactly(_ count: Int, timeout: Duration = .seconds(10)) async throws -> [UInt8] {
        while buffer.count < count {
            guard try await fill(timeout: timeout) else { throw Failure.closedEarly }
        }
        defer { buffer.removeFirst(count) }
        return Array(buffer[0..<count])
    }

    /// Reads an HTTP response head (through the blank line) and returns it as text.
    mutating func readHead(timeout: Duration = .seconds(10)) async throws -> String {
        while true {
            if let end = buffer.firstRange(of: Array("\r\n\r\n".utf8)) {
                let head = String(decoding: buffer[..<end.upperBound], as: UTF8.self)
                buffer.removeFirst(end.upperBound)
                return head
            }
            guard try await fill(timeout: timeout) else { throw Failure.closedEarly }
        }
    }

    /// Reads everything until the server closes the connection.
    mutating func readToEnd(timeout: Duration = .seconds(10)) async throws -> [UInt8] {
        while try await fill(timeout: timeout) {}
        defer { buffer = [] }
        return buffer
    }

    /// Reads one server frame (servers never mask).
    mutating func readFrame(timeout: Duration = .seconds(10)) async throws -> Frame {
        let header = try await readExactly(2, timeout: timeout)
        var length = Int(header[1] & 0x7F)
        if length == 126 {
            length = try await readExactly(2, timeout: timeout).reduce(0) { $0 << 8 | Int($1) }
        } else if length == 127 {
            length = try await readExactly(8, timeout: timeout).reduce(0) { $0 << 8 | Int($1) }
        }
        let payload = try await readExactly(length, timeout: timeout)
        return Frame(fin: header[0] & 0x80 != 0, opcode: header[0] & 0x0F, payload: payload)
    }

    /// Whether the server closes the TCP connection within `timeout` (bytes still unread are discarded).
    mutating func waitForEndOfFile(timeout: Duration = .seconds(10)) async throws -> Bool {
        do {
            _ = try await readToEnd(timeout: timeout)
            return true
        } catch Failure.timedOut {
            return false
        }
    }

    func close() { io.close() }
}

/// Runs `body` against a live server on 127.0.0.1, port 0, then shuts it down.
func withLiveServer(
    _ configuration: ServerConfiguration = ServerConfiguration(),
    handler: any ServerHandler = EchoHandler(),
    _ body: (WebSocketServer, SocketAddress) async throws -> Void
) async throws {
    let server = try WebSocketServer(configuration: configuration, handler: handler)
    let address = try server.bind()
    let task = Task { try await server.run() }
    do {
        try await body(server, address)
    } catch {
        await server.shutdown(drainTimeout: .zero)
        _ = try? await task.value
        throw error
    }
    await server.shutdown(drainTimeout: .milliseconds(200))
    _ = try? await task.value
}
