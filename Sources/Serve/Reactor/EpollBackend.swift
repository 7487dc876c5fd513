#if canImport(CLinuxShim)
    import CLinuxShim
    #if canImport(Glibc)
        import Glibc
    #elseif canImport(Musl)
        import Musl
    #endif

    /// A ``ReactorBackend`` over `epoll(7)` (level-triggered) and a self-pipe: the one Linux uses.
    ///
    /// Unlike `poll(2)`, a wait costs O(ready descriptors), not O(watched ones): with 20,000 idle connections every
    /// reactor wake-up would otherwise scan 20,000 descriptors.
    ///
    /// Registrations are kept when the reactor drops its interest (a connection between two reads asks again at once,
    /// so a read costs no `epoll_ctl`); a descriptor reported ready while nobody waits is removed then. A descriptor
    /// that was deregistered is forgotten (``forget(_:)``) before any change, because after its close the number may
    /// already name a new socket.
    // @unchecked: `interest` and `events` are touched only by the reactor thread (see ReactorBackend); the epoll and
    // pipe descriptors are immutable after init, and epoll_ctl and writing to a pipe are thread-safe.
    package final class EpollBackend: ReactorBackend, @unchecked Sendable {
        private let epoll: Int32
        private let wakePipe: WakePipe
        private var interest: [Int32: UInt32] = [:]
        private var events: [epoll_event]

        private static let readable = EPOLLIN.rawValue | EPOLLRDHUP.rawValue
        private static let writable = EPOLLOUT.rawValue
        private static let failed = EPOLLERR.rawValue | EPOLLHUP.rawValue

        /// - Parameter capacity: the most descriptors reported by one wait (more stay ready for the next one).
        package init(capacity: Int = 1024) throws(SocketError) {
            let epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
            guard epoll >= 0 else { throw .makeFailed("epoll_create1") }
            let wakePipe: WakePipe
            do throws(SocketError) {
                wakePipe = try WakePipe()
            } catch {
                _ = sysClose(epoll)
                throw error
            }
            var wakeEvent = clinuxshim_epoll_event_make(EPOLLIN.rawValue, wakePipe.readEnd)
            guard epoll_ctl(epoll, EPOLL_CTL_ADD, wakePipe.readEnd, &wakeEvent) == 0 else {
                wakePipe.close()
                _ = sysClose(epoll)
                throw .makeFailed("epoll_ctl")
            }
            self.epoll = epoll
            self.wakePipe = wakePipe
            events = Array(repeating: epoll_event(), count: max(1, capacity))
        }

        package func setInterest(_ descriptor: Int32, read: Bool, write: Bool) {
            let wanted = (read ? Self.readable : 0) | (write ? Self.writable : 0)
            if wanted == 0 {
                // Lazily: a connection between two reads usually asks again at once. A descriptor that turns ready
                // while nobody waits is disarmed then (see `poll`); a closed one is forgotten (see `forget`).
                if interest[descriptor] != nil { interest[descriptor] = 0 }
                return
            }
            let armed = interest[descriptor]
            guard wanted != armed else { return }
            arm(descriptor, wanted, isRegistered: armed != nil)
        }

        package func forget(_ descriptor: Int32) {
            guard interest.removeValue(forKey: descriptor) != nil else { return }
            var unused = epoll_event()
            _ = epoll_ctl(epoll, EPOLL_CTL_DEL, descriptor, &unused)  // ENOENT/EBADF: already gone with close
        }

        /// Sets the kernel's interest for `descriptor`; `interest` records it (0 means registered with no events).
        private func arm(_ descriptor: Int32, _ events: UInt32, isRegistered: Bool) {
            var event = clinuxshim_epoll_event_make(events, descriptor)
            var result = epoll_ctl(epoll, isRegistered ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, descriptor, &event)
            if result != 0 && errno == (isRegistered ? ENOENT : EEXIST) {
                result = epoll_ctl(epoll, isRegistered ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, descriptor, &event)
            }
            // On failure (EBADF: the descriptor is closed) the waiter learns it from its next I/O call.
            interest[descriptor] = result == 0 ? events : nil
        }

        /// Stops reports for a descriptor nobody waits on (a registration with no events would still report hang-ups).
        private func disarm(_ descriptor: Int32) {
            interest[descriptor] = nil
            var unused = epoll_event()
            _ = epoll_ctl(epoll, EPOLL_CTL_DEL, descriptor, &unused)
        }

        package func poll(timeout: Duration?) throws(SocketError) -> [Readiness] {
            let milliseconds = Duration.pollMilliseconds(timeout)
            let count = events.withUnsafeMutableBufferPointer { buffer in
                epoll_wait(epoll, buffer.baseAddress, Int32(buffer.count), milliseconds)
            }
            if count < 0 {
                let code = errno
                if code == EINTR { return [] }
                throw .failed(call: "epoll_wait", errno: code)
            }
            var ready: [Readiness] = []
            ready.reserveCapacity(Int(count))
            for index in 0..<Int(count) {
                let descriptor = withUnsafePointer(to: &events[index]) { clinuxshim_epoll_event_fd($0) }
                let flags = withUnsafePointer(to: &events[index]) { clinuxshim_epoll_event_events($0) }
                if descriptor == wakePipe.readEnd {
                    wakePipe.drain()
                    continue
                }
                let wanted = interest[descriptor] ?? 0
                if wanted == 0 {
                    disarm(descriptor)
                    continue
                }
                let failed = flags & Self.failed != 0
                ready.append(
                    Readiness(
                        descriptor: descriptor,
                        isReadable: wanted & Self.readable != 0 && (failed || flags & Self.readable != 0),
                        isWritable: wanted & Self.writable != 0 && (failed || flags & Self.writable != 0)))
            }
            return ready
        }

        package func wake() { wakePipe.wake() }

        package func close() {
            wakePipe.close()
            _ = sysClose(epoll)
        }
    }
#endif
