#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A thin, non-blocking wrapper over one socket descriptor.
///
/// Every call retries `EINTR` and reports `EAGAIN`/`EWOULDBLOCK` as a value rather than an error, so callers can
/// await readiness with ``Reactor/wait(_:for:deadline:)`` and try again. The descriptor is close-on-exec and
/// non-blocking from the moment it is created or accepted. The type is a plain value: exactly one owner calls
/// ``close()``.
public struct Socket: Sendable, Hashable {
    /// The outcome of a read.
    public enum ReadResult: Sendable, Equatable {
        /// This many bytes (at least one) were read.
        case bytes(Int)
        /// Nothing is available yet: wait until readable.
        case wouldBlock
        /// The peer closed its side (or reset the connection).
        case endOfFile
    }

    /// The descriptor.
    public let descriptor: Int32

    /// Adopts an open descriptor.
    public init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Creates a TCP socket for `family`, non-blocking and close-on-exec.
    public static func makeTCP(_ family: SocketAddress.Family) throws(SocketError) -> Socket {
        let domain = family == .ipv4 ? AF_INET : AF_INET6
        let fd = sysSocket(domain, streamType | closeOnExecType, 0)
        guard fd >= 0 else { throw .makeFailed("socket") }
        let socket = Socket(descriptor: fd)
        do throws(SocketError) {
            try socket.setNonBlocking()
        } catch {
            socket.close()
            throw error
        }
        return socket
    }

    /// Creates a listening socket bound to `address` with `SO_REUSEADDR`; port 0 picks a free port.
    ///
    /// Read the chosen port back with ``localAddress()``.
    public static func makeListener(address: SocketAddress, backlog: Int32 = 1024) throws(SocketError) -> Socket {
        let socket = try makeTCP(address.family)
        do throws(SocketError) {
            try socket.setOption(SOL_SOCKET, SO_REUSEADDR, 1)
            let result = address.withSockAddr { bind(socket.descriptor, $0, $1) }
            guard result == 0 else { throw .makeFailed("bind") }
            guard listen(socket.descriptor, backlog) == 0 else { throw .makeFailed("listen") }
        } catch {
            socket.close()
            throw error
        }
        return socket
    }

    /// Accepts one pending connection, or returns nil when none is waiting.
    ///
    /// The new descriptor is made close-on-exec with `fcntl` (Glibc's module lacks `accept4`) and non-blocking.
    /// `ECONNABORTED` (a client that gave up in the backlog) is skipped.
    public func accept() throws(SocketError) -> (Socket, SocketAddress)? {
        while true {
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let fd = withUnsafeMutablePointer(to: &storage) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sysAccept(descriptor, $0, &length)
                }
            }
            if fd < 0 {
                let code = errno
                switch code {
                case EINTR, ECONNABORTED: continue
                case EAGAIN, EWOULDBLOCK: return nil
                default: throw .failed(call: "accept", errno: code)
                }
            }
            let socket = Socket(descriptor: fd)
            do throws(SocketError) {
                try socket.setCloseOnExec()
                try socket.setNonBlocking()
                // Events are small frames sent one by one: never hold one back waiting for an ACK (Nagle).
                try? socket.setOption(Int32(IPPROTO_TCP), Int32(TCP_NODELAY), 1)
            } catch {
                socket.close()
                throw error
            }
            return (socket, SocketAddress(storage: storage) ?? .loopback(port: 0))
        }
    }

    /// Starts a non-blocking connect; returns true when already connected, false when it is in progress
    /// (await writability, then check ``pendingError()``).
    public func connect(to address: SocketAddress) throws(SocketError) -> Bool {
        while true {
            let result = address.withSockAddr { sysConnect(descriptor, $0, $1) }
            if result == 0 { return true }
            let code = errno
            switch code {
            case EINTR: continue
            case EINPROGRESS: return false
            default: throw .failed(call: "connect", errno: code)
            }
        }
    }

    /// Reads into `buffer`.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(SocketError) -> ReadResult {
        while true {
            let count = sysRecv(descriptor, buffer.baseAddress, buffer.count, 0)
            if count > 0 { return .bytes(count) }
            if count == 0 { return .endOfFile }
            let code = errno
            switch code {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            case ECONNRESET: return .endOfFile
            default: throw .failed(call: "recv", errno: code)
            }
        }
    }

    /// Writes as much of `bytes` as the kernel accepts, with `MSG_NOSIGNAL` so a closed peer gives `EPIPE`
    /// instead of `SIGPIPE`; returns nil when nothing could be written yet.
    public func send(_ bytes: UnsafeRawBufferPointer) throws(SocketError) -> Int? {
        while true {
            let count = sysSend(descriptor, bytes.baseAddress, bytes.count, Socket.noSignal)
            if count >= 0 { return count }
            let code = errno
            switch code {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return nil
            default: throw .failed(call: "send", errno: code)
            }
        }
    }

    /// Sets an integer socket option.
    public func setOption(_ level: Int32, _ name: Int32, _ value: Int32) throws(SocketError) {
        var value = value
        guard setsockopt(descriptor, level, name, &value, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
            throw .makeFailed("setsockopt")
        }
    }

    /// The error of a finished non-blocking connect (`SO_ERROR`), 0 on success.
    public func pendingError() throws(SocketError) -> Int32 {
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &value, &length) == 0 else {
            throw .makeFailed("getsockopt")
        }
        return value
    }

    /// The bound address (`getsockname`), which tells the port chosen for port 0.
    public func localAddress() throws(SocketError) -> SocketAddress {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard result == 0 else { throw .makeFailed("getsockname") }
        guard let address = SocketAddress(storage: storage) else {
            throw .failed(call: "getsockname", errno: EAFNOSUPPORT)
        }
        return address
    }

    /// Makes the descriptor non-blocking.
    public func setNonBlocking() throws(SocketError) {
        let flags = fcntl(descriptor, F_GETFL)
        guard flags >= 0, fcntl(descriptor, F_SETFL, flags | O_NONBLOCK) == 0 else { throw .makeFailed("fcntl") }
    }

    /// Marks the descriptor close-on-exec so spawned tools do not inherit it (STYLE.md §8.8).
    public func setCloseOnExec() throws(SocketError) {
        let flags = fcntl(descriptor, F_GETFD)
        guard flags >= 0, fcntl(descriptor, F_SETFD, flags | FD_CLOEXEC) == 0 else { throw .makeFailed("fcntl") }
    }

    /// Shuts down the sending side (`SHUT_WR`), which sends FIN after the queued bytes.
    public func shutdownWrite() {
        _ = sysShutdown(descriptor, Socket.shutdownWrite)
    }

    /// Closes the descriptor. `EINTR` is not retried: on Linux the descriptor is released either way.
    public func close() {
        _ = sysClose(descriptor)
    }

    /// A connected pair of non-blocking, close-on-exec Unix stream sockets, for tests.
    package static func makePair() throws(SocketError) -> (Socket, Socket) {
        var fds: [Int32] = [0, 0]
        guard socketpair(AF_UNIX, streamType | closeOnExecType, 0, &fds) == 0 else { throw .makeFailed("socketpair") }
        let pair = (Socket(descriptor: fds[0]), Socket(descriptor: fds[1]))
        try pair.0.setNonBlocking()
        try pair.1.setNonBlocking()
        return pair
    }
}

/// Raises the soft limit on open descriptors (`RLIMIT_NOFILE`) to the hard limit and returns the new soft limit.
///
/// Call it once at server start: the default soft limit (often 1024) is far below the tens of thousands of idle
/// connections `raaid serve` is expected to hold.
@discardableResult
public func raiseFileDescriptorLimit() -> Int {
    var limit = rlimit()
    guard Socket.getFileLimit(&limit) == 0 else { return -1 }
    if limit.rlim_cur < limit.rlim_max {
        var raised = limit
        raised.rlim_cur = limit.rlim_max
        if Socket.setFileLimit(&raised) == 0 { return Int(clamping: raised.rlim_cur) }
    }
    return Int(clamping: limit.rlim_cur)
}
