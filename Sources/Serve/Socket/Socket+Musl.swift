#if canImport(Musl)
    import Musl

    // Musl imports the socket constants as plain integers (STYLE.md §8.2).
    extension Socket {
        static let streamType = Int32(SOCK_STREAM)
        static let closeOnExecType = Int32(SOCK_CLOEXEC)
        static let noSignal = Int32(MSG_NOSIGNAL)
        static let shutdownWrite = Int32(SHUT_WR)
        static let shutdownBoth = Int32(SHUT_RDWR)

        static func getFileLimit(_ limit: inout rlimit) -> Int32 {
            getrlimit(Int32(RLIMIT_NOFILE), &limit)
        }

        static func setFileLimit(_ limit: inout rlimit) -> Int32 {
            setrlimit(Int32(RLIMIT_NOFILE), &limit)
        }
    }

    extension pollfd {
        static let readable = Int16(POLLIN)
        static let writable = Int16(POLLOUT)
        static let failed = Int16(POLLERR | POLLHUP | POLLNVAL)
    }
#endif

// Module-qualified wrappers for the calls that `Socket` shadows with its own methods.
#if canImport(Musl)
    @inline(__always) func sysSocket(_ d: Int32, _ t: Int32, _ p: Int32) -> Int32 { Musl.socket(d, t, p) }
    @inline(__always) func sysAccept(
        _ fd: Int32, _ a: UnsafeMutablePointer<sockaddr>?, _ l: UnsafeMutablePointer<socklen_t>?
    ) -> Int32 { Musl.accept(fd, a, l) }
    @inline(__always) func sysConnect(_ fd: Int32, _ a: UnsafePointer<sockaddr>, _ l: socklen_t) -> Int32 {
        Musl.connect(fd, a, l)
    }
    @inline(__always) func sysRecv(_ fd: Int32, _ b: UnsafeMutableRawPointer?, _ n: Int, _ f: Int32) -> Int {
        Musl.recv(fd, b, n, f)
    }
    @inline(__always) func sysSend(_ fd: Int32, _ b: UnsafeRawPointer?, _ n: Int, _ f: Int32) -> Int {
        Musl.send(fd, b, n, f)
    }
    @inline(__always) func sysShutdown(_ fd: Int32, _ how: Int32) -> Int32 { Musl.shutdown(fd, how) }
    @inline(__always) func sysClose(_ fd: Int32) -> Int32 { Musl.close(fd) }
    @inline(__always) func sysPoll(_ fds: UnsafeMutablePointer<pollfd>?, _ count: nfds_t, _ timeout: Int32) -> Int32 {
        Musl.poll(fds, count, timeout)
    }
#endif
