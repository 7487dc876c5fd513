#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The self-pipe a ``ReactorBackend`` watches so that ``wake()`` ends a blocked wait from any thread.
struct WakePipe: Sendable {
    /// The end the backend watches for readability.
    let readEnd: Int32
    private let writeEnd: Int32

    /// Creates a non-blocking, close-on-exec pipe.
    init() throws(SocketError) {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw .makeFailed("pipe") }
        do throws(SocketError) {
            for fd in fds {
                let socket = Socket(descriptor: fd)
                try socket.setNonBlocking()
                try socket.setCloseOnExec()
            }
        } catch {
            for fd in fds { _ = sysClose(fd) }
            throw error
        }
        readEnd = fds[0]
        writeEnd = fds[1]
    }

    /// Makes the read end readable. Thread-safe; `EAGAIN` means a wake is already pending, which is as good.
    func wake() {
        var byte: UInt8 = 1
        _ = write(writeEnd, &byte, 1)
    }

    /// Reads every pending wake byte (after the read end was reported readable).
    func drain() {
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(readEnd, &buffer, buffer.count) > 0 {}
    }

    /// Closes both ends.
    func close() {
        _ = sysClose(readEnd)
        _ = sysClose(writeEnd)
    }
}

extension Duration {
    /// The timeout argument of `poll(2)` and `epoll_wait(2)`: whole milliseconds, rounded up so a wait never ends
    /// before its deadline; nil (wait forever) is -1.
    static func pollMilliseconds(_ timeout: Duration?) -> Int32 {
        guard let timeout else { return -1 }
        let (seconds, attoseconds) = timeout.components
        let total = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: max(0, total))
    }
}
