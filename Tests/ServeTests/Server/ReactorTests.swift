#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif
import Synchronization
import Testing

#if canImport(CLinuxShim)
    import CLinuxShim
#endif

@testable import Serve

/// A backend a test drives by hand: readiness is scripted, nothing blocks.
final class ScriptedBackend: ReactorBackend, Sendable {
    let interest = Mutex<[Int32: (read: Bool, write: Bool)]>([:])
    let scripted = Mutex<[Readiness]>([])
    let wakes = Atomic<Int>(0)

    func setInterest(_ descriptor: Int32, read: Bool, write: Bool) {
        interest.withLock { $0[descriptor] = read || write ? (read, write) : nil }
    }

    func poll(timeout: Duration?) throws(SocketError) -> [Readiness] {
        scripted.withLock { ready in
            defer { ready = [] }
            return ready
        }
    }

    func wake() { wakes.add(1, ordering: .relaxed) }
    func close() {}
}

@Suite(.timeLimit(.minutes(1)))
struct ReactorTests {
    /// Waits until the reactor has parked `count` waiters.
    private func parked(_ reactor: Reactor, _ count: Int) async {
        while reactor.waiterCount < count { await Task.yield() }
    }

    @Test func readiness_resumesTheWaiter_andDropsInterest() async throws {
        let backend = ScriptedBackend()
        let reactor = Reactor(backend: backend, startsThread: false)
        let task = Task { try await reactor.wait(7, for: .read) }
        await parked(reactor, 1)
        reactor.runOnce()
        #expect(backend.interest.withLock { $0[7]?.read } == true)
        backend.scripted.withLock { $0 = [Readiness(descriptor: 7, isReadable: true, isWritable: false)] }
        reactor.runOnce()
        #expect(try await task.value == .ready)
        reactor.runOnce()
        #expect(backend.interest.withLock { $0[7] == nil })
        #expect(backend.wakes.load(ordering: .relaxed) >= 1)
    }

    @Test func deadline_timesOut() async throws {
        let reactor = Reactor(backend: ScriptedBackend(), startsThread: false)
        let task = Task { try await reactor.wait(3, for: .write, deadline: .now) }
        await parked(reactor, 1)
        reactor.runOnce()
        #expect(try await task.value == .timedOut)
    }

    @Test func cancellation_throwsCancellationError() async throws {
        let reactor = Reactor(backend: ScriptedBackend(), startsThread: false)
        let task = Task { try await reactor.wait(3, for: .read) }
        await parked(reactor, 1)
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(reactor.waiterCount == 0)
    }

    @Test func interrupt_isStickyUntilTheNextWait() async throws {
        let reactor = Reactor(backend: ScriptedBackend(), startsThread: false)
        reactor.interrupt(5, for: .read)
        #expect(try await reactor.wait(5, for: .read) == .interrupted)
        let task = Task { try await reactor.wait(5, for: .read) }
        await parked(reactor, 1)
        reactor.interrupt(5, for: .read)
        #expect(try await task.value == .interrupted)
    }

    @Test func secondWaiterForTheSameEvent_isRefused() async throws {
        let reactor = Reactor(backend: ScriptedBackend(), startsThread: false)
        let first = Task { try await reactor.wait(9, for: .read) }
        await parked(reactor, 1)
        await #expect(throws: Reactor.WaitError.alreadyWaiting) { try await reactor.wait(9, for: .read) }
        reactor.deregister(9)
        await #expect(throws: Reactor.WaitError.stopped) { try await first.value }
    }

    @Test func deregisteredDescriptor_isForgottenBeforeItsNumberIsWatchedAgain() async throws {
        let backend = ScriptedBackend()
        let reactor = Reactor(backend: backend, startsThread: false)
        let first = Task { try await reactor.wait(8, for: .read) }
        await parked(reactor, 1)
        reactor.runOnce()
        #expect(backend.interest.withLock { $0[8]?.read } == true)
        // Closed and reused before the reactor thread runs again: a new socket with the same number waits.
        reactor.deregister(8)
        await #expect(throws: Reactor.WaitError.stopped) { try await first.value }
        let second = Task { try await reactor.wait(8, for: .read) }
        await parked(reactor, 1)
        reactor.runOnce()
        #expect(backend.interest.withLock { $0[8]?.read } == true)
        second.cancel()
        _ = try? await second.value
    }

    /// Collects the results a ``Reactor/notify(_:for:deadline:_:)`` callback receives.
    private final class Notified: Sendable {
        let results = Mutex<[Result<Reactor.WaitResult, Reactor.WaitError>]>([])
        var callback: @Sendable (Result<Reactor.WaitResult, Reactor.WaitError>) -> Void {
            { result in self.results.withLock { $0.append(result) } }
        }
        var all: [Result<Reactor.WaitResult, Reactor.WaitError>] { results.withLock { $0 } }
    }

    @Test func notify_callsBackOnReadiness_withNoTaskWaiting() {
        let backend = ScriptedBackend()
        let reactor = Reactor(backend: backend, startsThread: false)
        let notified = Notified()
        reactor.notify(4, for: .read, notified.callback)
        #expect(reactor.waiterCount == 1)
        reactor.runOnce()
        #expect(backend.interest.withLock { $0[4]?.read } == true)
        #expect(notified.all.isEmpty)
        backend.scripted.withLock { $0 = [Readiness(descriptor: 4, isReadable: true, isWritable: false)] }
        reactor.runOnce()
        #expect(notified.all == [.success(.ready)])
        #expect(reactor.waiterCount == 0)
        reactor.runOnce()
        #expect(backend.interest.withLock { $0[4] == nil })
    }

    @Test func notify_deadline_interrupt_andDeregister_eachCallBackOnce() {
        let reactor = Reactor(backend: ScriptedBackend(), startsThread: false)
        let timed = Notified()
        reactor.notify(1, for: .read, deadline: .now, timed.callback)
        reactor.runOnce()
        #expect(timed.all == [.success(.timedOut)])

        let interrupted = Notified()
        reactor.notify(2, for: .read, deadline: .now + .seconds(60), interrupted.callback)
        reactor.interrupt(2, for: .read)
        reactor.runOnce()
        #expect(interrupted.all == [.success(.interrupted)])

        // An interrupt that came first is delivered at once, on the caller's thread.
        let sticky = Notified()
        reactor.interrupt(3, for: .write)
        reactor.notify(3, for: .write, sticky.callback)
        #expect(sticky.all == [.success(.interrupted)])

        let stopped = Notified()
        reactor.notify(5, for: .read, stopped.callback)
        let refused = Notified()
        reactor.notify(5, for: .read, refused.callback)
        #expect(refused.all == [.failure(.alreadyWaiting)])
        reactor.deregister(5)
        #expect(stopped.all == [.failure(.stopped)])

        let shutDown = Notified()
        reactor.notify(6, for: .read, shutDown.callback)
        reactor.shutdown()
        #expect(shutDown.all == [.failure(.stopped)])
        let late = Notified()
        reactor.notify(7, for: .read, late.callback)
        #expect(late.all == [.failure(.stopped)])
        #expect(reactor.waiterCount == 0)
    }

    #if canImport(CLinuxShim)
        @Test func epollBackend_reportsReadiness_followsInterest_andSurvivesAReusedDescriptor() throws {
            let backend = try EpollBackend(capacity: 4)
            defer { backend.close() }
            let (left, right) = try Socket.makePair()
            defer { left.close() }
            // Nothing watched yet: a wake ends the wait with no readiness.
            backend.wake()
            #expect(try backend.poll(timeout: .seconds(5)).isEmpty)
            backend.setInterest(right.descriptor, read: true, write: false)
            #expect(try backend.poll(timeout: .zero).isEmpty)
            var byte: UInt8 = 7
            #expect(write(left.descriptor, &byte, 1) == 1)
            #expect(try backend.poll(timeout: .seconds(5)) == [Readiness(descriptor: right.descriptor, isReadable: true, isWritable: false)])
            // Level-triggered: still readable until read; not reported once interest is dropped.
            backend.setInterest(right.descriptor, read: false, write: true)
            #expect(try backend.poll(timeout: .seconds(5)) == [Readiness(descriptor: right.descriptor, isReadable: false, isWritable: true)])
            backend.setInterest(right.descriptor, read: false, write: false)
            #expect(try backend.poll(timeout: .zero).isEmpty)
            // Closed while watched (it leaves the epoll set), then the number comes back as a new socket.
            backend.setInterest(right.descriptor, read: true, write: false)
            let number = right.descriptor
            right.close()
            let (again, peer) = try Socket.makePair()
            defer {
                again.close()
                peer.close()
            }
            let reused = [again, peer].first { $0.descriptor == number }
            backend.forget(number)  // what the reactor does for a deregistered descriptor, before any change
            if let reused {
                let other = reused.descriptor == again.descriptor ? peer : again
                backend.setInterest(number, read: true, write: false)
                #expect(write(other.descriptor, &byte, 1) == 1)
                #expect(try backend.poll(timeout: .seconds(5)).contains { $0.descriptor == number && $0.isReadable })
            }
        }
    #endif

    @Test func pollTimeouts_roundUpToWholeMilliseconds() {
        #expect(Duration.pollMilliseconds(nil) == -1)
        #expect(Duration.pollMilliseconds(.zero) == 0)
        #expect(Duration.pollMilliseconds(.nanoseconds(1)) == 1)
        #expect(Duration.pollMilliseconds(.milliseconds(1500)) == 1500)
        #expect(Duration.pollMilliseconds(.microseconds(1500)) == 2)
        #expect(Duration.pollMilliseconds(.seconds(-3)) == 0)
        #expect(Duration.pollMilliseconds(.seconds(10_000_000)) == Int32.max)
    }

    @Test func pollBackend_reportsASocketPairReadable() async throws {
        let reactor = try Reactor()
        defer { reactor.shutdown() }
        let (left, right) = try Socket.makePair()
        defer {
            left.close()
            right.close()
        }
        let reader = AsyncSocket(socket: right, reactor: reactor)
        let pending = Task { try await reader.read(deadline: .now + .seconds(10)) }
        try await Task.sleep(for: .milliseconds(20))
        #expect(try await AsyncSocket(socket: left, reactor: reactor).write([1, 2, 3], stallTimeout: .seconds(1)))
        #expect(try await pending.value == .bytes([1, 2, 3]))
        #expect(try await reader.read(deadline: .now + .milliseconds(50)) == .timedOut)
    }
}

@Suite struct SocketAddressTests {
    @Test(arguments: [
        ("127.0.0.1", "127.0.0.1:80"), ("0.0.0.0", "0.0.0.0:80"), ("::1", "[::1]:80"), ("[::1]", "[::1]:80"),
        ("::", "[::]:80"),
    ])
    func parses_andPrintsNumericAddresses(text: String, expected: String) throws {
        #expect(try SocketAddress(host: text, port: 80).description == expected)
    }

    @Test func rejectsNames() {
        #expect(throws: SocketError.invalidAddress("localhost")) { try SocketAddress(host: "localhost", port: 1) }
    }

    @Test func listener_onPortZero_reportsTheChosenPort_forIPv4AndIPv6() throws {
        for host in ["127.0.0.1", "::1"] {
            let listener = try Socket.makeListener(address: try SocketAddress(host: host, port: 0))
            defer { listener.close() }
            let address = try listener.localAddress()
            #expect(address.port != 0)
            #expect(address.hostText == host)
        }
    }

    @Test func errors_describeTheCallAndErrno() {
        let text = SocketError.failed(call: "bind", errno: 98).description
        #expect(text.hasPrefix("bind failed: "))
        #expect(text.hasSuffix("(errno 98)"))
    }

    @Test func raiseFileDescriptorLimit_returnsAPositiveLimit() {
        #expect(raiseFileDescriptorLimit() > 0)
    }

    @Test func acceptedSockets_areNonBlocking_closeOnExec_andNoDelay() async throws {
        let listener = try Socket.makeListener(address: try SocketAddress(host: "127.0.0.1", port: 0))
        defer { listener.close() }
        let reactor = try Reactor()
        defer { reactor.shutdown() }
        let client = try await AsyncSocket.connect(to: try listener.localAddress(), reactor: reactor)
        defer { client.close() }
        var accepted: (Socket, SocketAddress)?
        while accepted == nil { accepted = try listener.accept() }
        let socket = try #require(accepted?.0)
        defer { socket.close() }
        var noDelay: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        #expect(getsockopt(socket.descriptor, Int32(IPPROTO_TCP), Int32(TCP_NODELAY), &noDelay, &length) == 0)
        #expect(noDelay == 1)
        #expect(fcntl(socket.descriptor, F_GETFL) & O_NONBLOCK != 0)
        #expect(fcntl(socket.descriptor, F_GETFD) & FD_CLOEXEC != 0)
    }
}
