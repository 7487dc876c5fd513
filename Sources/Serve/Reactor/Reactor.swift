import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Parks tasks until their non-blocking descriptors are ready, using one dedicated thread (STYLE.md §3).
///
/// I/O is attempted inline by the calling task; on `EAGAIN` it awaits ``wait(_:for:deadline:)``. The reactor
/// thread blocks in the backend (`epoll_wait(2)` or `poll(2)`, plus a self-pipe) with a timeout equal to the nearest deadline, and
/// resumes the parked continuations (or calls the callbacks of ``notify(_:for:deadline:_:)``, which parks no task). At
/// most one waiter per descriptor and event may be parked at a time, which fits one reader and one writer per
/// connection.
public final class Reactor: Sendable {
    /// How a wait ended (cancellation throws `CancellationError` instead).
    public enum WaitResult: Sendable, Equatable {
        /// The descriptor is ready (or in error: the next I/O call will say which).
        case ready
        /// The deadline passed first.
        case timedOut
        /// ``interrupt(_:for:)`` was called.
        case interrupted
    }

    /// A wait that could not be registered.
    public enum WaitError: Error, Sendable, Equatable {
        /// Another task is already waiting for the same descriptor and event.
        case alreadyWaiting
        /// The reactor was shut down, or the descriptor deregistered.
        case stopped
    }

    /// How a parked wait is ended: a suspended task, or a callback (no task at all while waiting).
    private enum Resumption {
        case task(CheckedContinuation<WaitResult, any Error>)
        case callback(@Sendable (Result<WaitResult, WaitError>) -> Void)
    }

    private struct Waiter {
        var id: UInt64
        var resumption: Resumption

        func resume(_ result: Result<WaitResult, any Error>) {
            switch resumption {
            case .task(let continuation):
                continuation.resume(with: result)
            case .callback(let callback):
                callback(result.mapError { $0 as? WaitError ?? .stopped })
            }
        }
    }

    private struct Entry {
        var read: Waiter?
        var write: Waiter?
        var readInterrupted = false
        var writeInterrupted = false

        var isEmpty: Bool { read == nil && write == nil && !readInterrupted && !writeInterrupted }
    }

    private struct State {
        var entries: [Int32: Entry] = [:]
        var dirty: [Int32] = []
        /// Descriptors deregistered (about to be closed) since the last iteration: the backend forgets them before
        /// it applies any change, because the number may already belong to a new socket.
        var forgotten: [Int32] = []
        var deadlines = DeadlineHeap()
        var nextID: UInt64 = 0
        var isWakePending = false
        var isRunning = true
        var waiterCount = 0
    }

    private let state = Mutex(State())
    private let backend: any ReactorBackend

    /// Starts a reactor thread over `epoll(7)` on Linux, `poll(2)` elsewhere.
    public convenience init() throws(SocketError) {
        #if canImport(CLinuxShim)
            try self.init(backend: EpollBackend(), startsThread: true)
        #else
            try self.init(backend: PollBackend(), startsThread: true)
        #endif
    }

    /// Creates a reactor over `backend`; without a thread, a test drives it with ``runOnce()``.
    package init(backend: any ReactorBackend, startsThread: Bool) {
        self.backend = backend
        if startsThread { startThread() }
    }

    /// The number of parked waiters, for metrics and tests.
    public var waiterCount: Int { state.withLock { $0.waiterCount } }

    /// Suspends until `descriptor` is ready for `event`, `deadline` passes or the task is cancelled.
    ///
    /// - Throws: `CancellationError` when the task is cancelled; ``WaitError`` when already waiting or stopped.
    public func wait(
        _ descriptor: Int32, for event: IOEvent, deadline: ContinuousClock.Instant? = nil
    ) async throws -> WaitResult {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<WaitResult, any Error>) in
                register(descriptor, event, id: id, deadline: deadline, resumption: .task(continuation))
            }
        } onCancel: {
            let waiter = state.withLock { state in takeWaiter(&state, descriptor, event, id: id) }
            waiter?.resume(.failure(CancellationError()))
        }
    }

    /// Calls `callback` once when `descriptor` is ready for `event`, `deadline` passes, ``interrupt(_:for:)`` is
    /// called, or the wait ends with ``WaitError`` (already waiting, deregistered, shut down). No task waits meanwhile,
    /// so a parked connection costs no task at all.
    ///
    /// The callback runs on the reactor thread (or at once on the caller's, when the wait cannot be parked): keep it
    /// short, for example start a task. Task cancellation does not reach such a wait; use ``interrupt(_:for:)``.
    public func notify(
        _ descriptor: Int32, for event: IOEvent, deadline: ContinuousClock.Instant? = nil,
        _ callback: @escaping @Sendable (Result<WaitResult, WaitError>) -> Void
    ) {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        register(descriptor, event, id: id, deadline: deadline, resumption: .callback(callback))
    }

    private func register(
        _ descriptor: Int32, _ event: IOEvent, id: UInt64, deadline: ContinuousClock.Instant?, resumption: Resumption
    ) {
        enum Outcome {
            case parked(wake: Bool)
            case resume(Result<WaitResult, any Error>)
        }
        let outcome: Outcome = state.withLock { state in
            guard state.isRunning else { return .resume(.failure(WaitError.stopped)) }
            if case .task = resumption, Task.isCancelled { return .resume(.failure(CancellationError())) }
            var entry = state.entries[descriptor] ?? Entry()
            switch event {
            case .read:
                if entry.readInterrupted {
                    entry.readInterrupted = false
                    state.entries[descriptor] = entry.isEmpty ? nil : entry
                    return .resume(.success(.interrupted))
                }
                guard entry.read == nil else { return .resume(.failure(WaitError.alreadyWaiting)) }
                entry.read = Waiter(id: id, resumption: resumption)
            case .write:
                if entry.writeInterrupted {
                    entry.writeInterrupted = false
                    state.entries[descriptor] = entry.isEmpty ? nil : entry
                    return .resume(.success(.interrupted))
                }
                guard entry.write == nil else { return .resume(.failure(WaitError.alreadyWaiting)) }
                entry.write = Waiter(id: id, resumption: resumption)
            }
            state.entries[descriptor] = entry
            state.waiterCount += 1
            state.dirty.append(descriptor)
            if let deadline {
                state.deadlines.insert(.init(deadline: deadline, descriptor: descriptor, event: event, waiterID: id))
            }
            let wake = !state.isWakePending
            state.isWakePending = true
            return .parked(wake: wake)
        }
        switch outcome {
        case .parked(let wake): if wake { backend.wake() }
        case .resume(let result): Waiter(id: id, resumption: resumption).resume(result)
        }
    }

    /// Removes the waiter for `event` on `descriptor` if it still has `id` (any id when nil).
    private func takeWaiter(_ state: inout State, _ descriptor: Int32, _ event: IOEvent, id: UInt64?) -> Waiter? {
        guard var entry = state.entries[descriptor] else { return nil }
        let waiter: Waiter?
        switch event {
        case .read:
            guard let current = entry.read, id == nil || current.id == id else { return nil }
            waiter = current
            entry.read = nil
        case .write:
            guard let current = entry.write, id == nil || current.id == id else { return nil }
            waiter = current
            entry.write = nil
        }
        state.entries[descriptor] = entry.isEmpty ? nil : entry
        state.waiterCount -= 1
        state.dirty.append(descriptor)
        return waiter
    }

    /// Resumes the task waiting for `event` on `descriptor` with ``WaitResult/interrupted``; if none waits, the
    /// next wait for it returns `.interrupted` at once. Use it to make a reader re-check its state.
    public func interrupt(_ descriptor: Int32, for event: IOEvent) {
        let waiter: Waiter? = state.withLock { state in
            if let waiter = takeWaiter(&state, descriptor, event, id: nil) { return waiter }
            var entry = state.entries[descriptor] ?? Entry()
            switch event {
            case .read: entry.readInterrupted = true
            case .write: entry.writeInterrupted = true
            }
            state.entries[descriptor] = entry
            return nil
        }
        waiter?.resume(.success(.interrupted))
    }

    /// Forgets `descriptor` before it is closed: pending interrupts are dropped and any parked waiter fails
    /// with ``WaitError/stopped``.
    public func deregister(_ descriptor: Int32) {
        let waiters: [Waiter] = state.withLock { state in
            var waiters: [Waiter] = []
            if let waiter = takeWaiter(&state, descriptor, .read, id: nil) { waiters.append(waiter) }
            if let waiter = takeWaiter(&state, descriptor, .write, id: nil) { waiters.append(waiter) }
            state.entries[descriptor] = nil
            state.forgotten.append(descriptor)
            return waiters
        }
        for waiter in waiters { waiter.resume(.failure(WaitError.stopped)) }
    }

    /// Stops the thread; every parked waiter fails with ``WaitError/stopped``.
    public func shutdown() {
        let waiters: [Waiter] = state.withLock { state in
            state.isRunning = false
            var waiters: [Waiter] = []
            for entry in state.entries.values {
                if let read = entry.read { waiters.append(read) }
                if let write = entry.write { waiters.append(write) }
            }
            state.entries = [:]
            state.waiterCount = 0
            return waiters
        }
        backend.wake()
        for waiter in waiters { waiter.resume(.failure(WaitError.stopped)) }
    }

    /// One reactor iteration: apply interest changes, block in the backend, resume ready and expired waiters.
    /// - Returns: false once the reactor has been shut down.
    @discardableResult
    package func runOnce() -> Bool {
        let (running, forgotten, changes, timeout) = state.withLock {
            state -> (Bool, [Int32], [(Int32, Bool, Bool)], Duration?) in
            guard state.isRunning else { return (false, [], [], nil) }
            let forgotten = state.forgotten
            state.forgotten.removeAll(keepingCapacity: forgotten.count < 1024)
            var seen = Set<Int32>()
            var changes: [(Int32, Bool, Bool)] = []
            for descriptor in state.dirty where seen.insert(descriptor).inserted {
                let entry = state.entries[descriptor]
                changes.append((descriptor, entry?.read != nil, entry?.write != nil))
            }
            state.dirty.removeAll(keepingCapacity: state.dirty.count < 1024)
            state.isWakePending = false
            var timeout: Duration?
            while let first = state.deadlines.first {
                if isLive(state, first) {
                    timeout = max(.zero, first.deadline - .now)
                    break
                }
                state.deadlines.removeFirst()
            }
            return (true, forgotten, changes, timeout)
        }
        guard running else { return false }
        for descriptor in forgotten { backend.forget(descriptor) }
        for (descriptor, read, write) in changes { backend.setInterest(descriptor, read: read, write: write) }
        let ready: [Readiness]
        do {
            ready = try backend.poll(timeout: timeout)
        } catch {
            // poll(2) only fails for invalid arguments or lack of memory; back off rather than spin.
            usleep(10_000)
            return true
        }
        var resumed: [(Waiter, WaitResult)] = []
        state.withLock { state in
            for item in ready {
                if item.isReadable, let waiter = takeWaiter(&state, item.descriptor, .read, id: nil) {
                    resumed.append((waiter, .ready))
                }
                if item.isWritable, let waiter = takeWaiter(&state, item.descriptor, .write, id: nil) {
                    resumed.append((waiter, .ready))
                }
                state.dirty.append(item.descriptor)
            }
            let now = ContinuousClock.now
            while let first = state.deadlines.first, first.deadline <= now {
                state.deadlines.removeFirst()
                if let waiter = takeWaiter(&state, first.descriptor, first.event, id: first.waiterID) {
                    resumed.append((waiter, .timedOut))
                }
            }
        }
        for (waiter, result) in resumed { waiter.resume(.success(result)) }
        return true
    }

    private func isLive(_ state: State, _ timer: DeadlineHeap.Entry) -> Bool {
        guard let entry = state.entries[timer.descriptor] else { return false }
        switch timer.event {
        case .read: return entry.read?.id == timer.waiterID
        case .write: return entry.write?.id == timer.waiterID
        }
    }

    private func startThread() {
        let box = Unmanaged.passRetained(self).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(
            &thread, nil,
            { argument in
                let reactor = Unmanaged<Reactor>.fromOpaque(argument!).takeRetainedValue()
                while reactor.runOnce() {}
                reactor.backend.close()
                return nil
            }, box)
        precondition(result == 0, "pthread_create failed for the reactor thread (errno \(result))")
        pthread_detach(thread)
    }
}
