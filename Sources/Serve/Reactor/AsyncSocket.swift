/// A ``Socket`` paired with the ``Reactor`` that parks its I/O: the try, `EAGAIN`, wait, retry loop in one place.
public struct AsyncSocket: Sendable {
    /// The outcome of ``read(maxCount:deadline:)``.
    public enum ReadEvent: Sendable, Equatable {
        /// Bytes arrived (never empty).
        case bytes([UInt8])
        /// The peer closed its side or reset the connection.
        case endOfFile
        /// The deadline passed first.
        case timedOut
        /// ``Reactor/interrupt(_:for:)`` was called for this descriptor.
        case interrupted
    }

    /// The descriptor.
    public let socket: Socket
    /// The reactor that parks waits on it.
    public let reactor: Reactor

    /// Pairs `socket` with `reactor`.
    public init(socket: Socket, reactor: Reactor) {
        self.socket = socket
        self.reactor = reactor
    }

    /// Reads up to `maxCount` bytes, waiting for readiness until `deadline`.
    ///
    /// No buffer is held while the task is parked: an idle connection costs no read buffer.
    public func read(maxCount: Int = 64 * 1024, deadline: ContinuousClock.Instant? = nil) async throws -> ReadEvent {
        while true {
            if let event = try readNow(maxCount: maxCount) { return event }
            switch try await reactor.wait(socket.descriptor, for: .read, deadline: deadline) {
            case .ready: continue
            case .timedOut: return .timedOut
            case .interrupted: return .interrupted
            }
        }
    }

    /// One non-blocking read attempt; nil when nothing is available. Kept out of the async function so the
    /// buffer's lifetime ends before the task parks.
    func readNow(maxCount: Int) throws(SocketError) -> ReadEvent? {
        var result = Socket.ReadResult.wouldBlock
        var failure: SocketError?
        let bytes = [UInt8](unsafeUninitializedCapacity: maxCount) { buffer, count in
            do throws(SocketError) {
                result = try socket.read(into: UnsafeMutableRawBufferPointer(buffer))
            } catch {
                failure = error
            }
            if case .bytes(let read) = result { count = read } else { count = 0 }
        }
        if let failure { throw failure }
        switch result {
        case .bytes(let count):
            // Do not hand out a 64 KiB buffer holding a few bytes: callers may keep it.
            return .bytes(count * 4 < maxCount ? Array(bytes) : bytes)
        case .endOfFile: return .endOfFile
        case .wouldBlock: return nil
        }
    }

    /// Writes all of `bytes`, waiting for writability; returns false if no progress was possible for `stallTimeout`.
    /// - Throws: ``SocketError`` (for example `EPIPE` when the peer is gone), or `CancellationError`.
    public func write(_ bytes: [UInt8], stallTimeout: Duration) async throws -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = try bytes.withUnsafeBytes { raw throws(SocketError) in
                try socket.send(UnsafeRawBufferPointer(rebasing: raw[offset...]))
            }
            if let written {
                offset += written
                continue
            }
            switch try await reactor.wait(socket.descriptor, for: .write, deadline: .now + stallTimeout) {
            case .ready, .interrupted: continue
            case .timedOut: return false
            }
        }
        return true
    }

    /// Accepts the next connection, waiting for one; returns nil when interrupted.
    public func accept() async throws -> (Socket, SocketAddress)? {
        while true {
            if let accepted = try socket.accept() { return accepted }
            if try await reactor.wait(socket.descriptor, for: .read) == .interrupted { return nil }
        }
    }

    /// Opens a TCP connection to `address` (tests and clients).
    public static func connect(to address: SocketAddress, reactor: Reactor) async throws -> AsyncSocket {
        let socket = try Socket.makeTCP(address.family)
        do {
            if try !socket.connect(to: address) {
                _ = try await reactor.wait(socket.descriptor, for: .write, deadline: .now + .seconds(30))
                let code = try socket.pendingError()
                guard code == 0 else { throw SocketError.failed(call: "connect", errno: code) }
            }
        } catch {
            reactor.deregister(socket.descriptor)
            socket.close()
            throw error
        }
        return AsyncSocket(socket: socket, reactor: reactor)
    }

    /// Deregisters the descriptor from the reactor and closes it.
    public func close() {
        reactor.deregister(socket.descriptor)
        socket.close()
    }
}
