import Synchronization

/// The read side, the writer and the teardown of a ``WSConnection``.
extension WSConnection {
    /// How reading ended.
    enum ReaderExit: Sendable, Equatable {
        /// The closing handshake finished or the connection failed: flush the queue (the close frame), then close.
        case closed
        /// The connection stopped (``StopReason``), the close timeout passed, or the peer vanished.
        case abandoned
    }

    /// The read side's state, moved out of its mutex while a task reads (one reader at a time).
    struct ReaderState: Sendable {
        var parser: WSFrameParser
        /// Received bytes not parsed yet; empty (holding no buffer) while idle.
        var input: ArraySlice<UInt8>
        var activityDeadline: ContinuousClock.Instant
        /// Messages parsed and not yet handed out, in order.
        var deliveries: [WSMessage] = []
        var exit: ReaderExit?
        /// A task has taken the state (``messages`` is iterated from one task only).
        var isTaken = false
    }

    /// Serves the connection in the calling task: the handler reads its messages on demand (``messages``); once it
    /// returns, reading goes on until the closing handshake is over; then the socket is closed.
    func serve(handler: any ServerHandler, context: (any Sendable)?) async {
        await handler.connected(self, request: request, context: context)
        await finish()
    }

    /// After the handler: closes with 1000 if still open, reads until the closing handshake is over, tears down.
    /// Not inlined, so that its frame does not enlarge the frame of ``serve(handler:context:)`` while idle.
    @inline(never)
    private func finish() async {
        close(code: .normalClosure)
        var exit = ReaderExit.abandoned
        if var state = takeReader() {
            while state.exit == nil {
                state.deliveries = []  // the handler is gone: messages still arriving are dropped
                state.exit = await readMore(&state)
            }
            exit = state.exit ?? .abandoned
            state.input = []
            putReader(state)
        }
        await finishIO(exit)
    }

    /// The next received message for ``messages``; nil once the connection is over (or if another task reads).
    func nextMessage() async -> WSMessage? {
        guard var state = takeReader() else { return nil }
        while state.deliveries.isEmpty && state.exit == nil {
            state.exit = await readMore(&state)
        }
        let message = state.deliveries.isEmpty ? nil : state.deliveries.removeFirst()
        putReader(state)
        return message
    }

    func takeReader() -> ReaderState? {
        reader.withLock { state -> ReaderState? in
            guard !state.isTaken else { return nil }
            let taken = state
            // Leave an empty shell so the taken copy owns its buffers uniquely (no copy-on-write on parse).
            state = ReaderState(
                parser: WSFrameParser(limits: configuration.webSocketLimits), input: [],
                activityDeadline: taken.activityDeadline, isTaken: true)
            return taken
        }
    }

    func putReader(_ state: ReaderState) {
        reader.withLock { $0 = state }
    }

    /// Flushes or drops what is queued, lingers after a clean close, and closes the socket.
    func finishIO(_ exit: ReaderExit) async {
        switch exit {
        case .closed: outbound.finish()
        case .abandoned: _ = outbound.abort(final: nil)  // a close frame already queued (slow consumer) still goes
        }
        await withTaskCancellationHandler {
            await outbound.waitForWriter()
        } onCancel: {
            outbound.close()
        }
        let wroteAll = control.withLock { $0.stopReason == nil }
        if exit == .closed && wroteAll && !Task.isCancelled { await linger() }
        control.withLock { $0.isTornDown = true }
        outbound.close()
        io.close()
    }

    /// Reads and parses until at least one message is ready (nil) or the connection is over (its exit).
    ///
    /// Only the reactor wait is asynchronous: reading, parsing and answering control frames happen in synchronous
    /// helpers, so that an idle connection's task holds as few and as small async frames as possible.
    func readMore(_ state: inout ReaderState) async -> ReaderExit? {
        while true {
            let deadline: ContinuousClock.Instant
            switch readAvailable(&state) {
            case .exit(let exit): return exit
            case .delivered: return nil
            case .wait(let until): deadline = until
            }
            let result: Reactor.WaitResult
            do {
                result = try await io.reactor.wait(io.socket.descriptor, for: .read, deadline: deadline)
            } catch {
                return .abandoned
            }
            if result == .timedOut, let exit = readTimedOut(&state) { return exit }
        }
    }

    /// What ``readAvailable(_:)`` found.
    enum ReadStep {
        case exit(ReaderExit)
        /// At least one message is ready.
        case delivered
        /// Nothing more to read now: wait for input until the deadline.
        case wait(until: ContinuousClock.Instant)
    }

    /// Parses buffered input and reads what the socket has, without waiting.
    func readAvailable(_ state: inout ReaderState) -> ReadStep {
        while true {
            if case let exit?? = parseInput(&state) { return .exit(exit) }
            if !state.deliveries.isEmpty { return .delivered }
            let (stopReason, closeStartedAt) = control.withLock { ($0.stopReason, $0.closeStartedAt) }
            if stopReason != nil { return .exit(.abandoned) }
            let event: AsyncSocket.ReadEvent?
            do {
                event = try io.readNow(maxCount: 64 * 1024)
            } catch {
                return .exit(.abandoned)
            }
            guard let event else {
                return .wait(until: closeStartedAt.map { $0 + configuration.closeTimeout } ?? state.activityDeadline)
            }
            if let exit = handle(event, closeStarted: closeStartedAt != nil, &state) { return .exit(exit) }
        }
    }

    /// The read wait's deadline passed: ping (or give up on a peer that did not answer the close or the last ping).
    func readTimedOut(_ state: inout ReaderState) -> ReaderExit? {
        let closeStarted = control.withLock { $0.closeStartedAt != nil }
        return handle(.timedOut, closeStarted: closeStarted, &state)
    }

    /// Parses the buffered input (synchronously, on the thread's stack rather than in the task's frames);
    /// returns the exit when the connection is over, nil when messages are ready or more input is needed.
    private func parseInput(_ state: inout ReaderState) -> ReaderExit?? {
        while !state.input.isEmpty {
            let frame: WSFrame?
            do {
                frame = try state.parser.parse(&state.input)
            } catch {
                metrics.rejected(error.closeCode)
                _ = withControl { control, effects in
                    enqueue(control.protocolState.failed(error), &control, &effects).closes
                }
                return .closed
            }
            guard let frame else { break }
            let (deliveries, closes, failure) = withControl { control, effects in
                let result = enqueue(control.protocolState.received(frame), &control, &effects)
                return (result.deliveries, result.closes, control.protocolState.failure)
            }
            metrics.messagesIn.add(deliveries.count)
            state.deliveries += deliveries
            if closes {
                if let failure { metrics.rejected(failure.closeCode) }
                return control.withLock { $0.stopReason == nil } ? .closed : .abandoned
            }
            if !state.deliveries.isEmpty { break }
        }
        // An empty slice would still pin the last read buffer (up to 64 KiB) while idle.
        if state.input.isEmpty { state.input = [] }
        return nil
    }

    /// Applies one read event; returns the exit when the connection is over.
    private func handle(_ event: AsyncSocket.ReadEvent, closeStarted: Bool, _ state: inout ReaderState) -> ReaderExit? {
        switch event {
        case .bytes(let bytes):
            metrics.bytesIn.add(bytes.count)
            state.input = bytes[...]
            state.activityDeadline = .now + configuration.pingInterval
        case .endOfFile:
            return .abandoned
        case .interrupted:
            break
        case .timedOut:
            if closeStarted { return .abandoned }
            let closes = withControl { control, effects in
                enqueue(control.protocolState.sendPing(), &control, &effects).closes
            }
            if closes {
                metrics.pingTimeouts.add(1)
                return .closed
            }
            state.activityDeadline = .now + configuration.pongTimeout
        }
        return nil
    }

    /// The writer task: drains the queue, waiting for writability; ends once the queue is empty. On a stall or an
    /// error, stops the connection.
    func writeLoop() async {
        while true {
            switch outbound.flush() {
            case .drained:
                return
            case .failed:
                stopWriting(.writeFailed)
                return
            case .blocked:
                let result: Reactor.WaitResult
                do {
                    result = try await io.reactor.wait(
                        io.socket.descriptor, for: .write, deadline: .now + configuration.writeStallTimeout)
                } catch {
                    stopWriting(.writeFailed)
                    return
                }
                if result == .timedOut {
                    metrics.slowConsumerDisconnects.add(1)
                    stopWriting(.writeStalled)
                    return
                }
            }
        }
    }

    /// Records why writing stopped, wakes the reader, then releases the queue (teardown waits for that release
    /// before it closes the descriptor, so the wake-up cannot reach a reused descriptor number).
    private func stopWriting(_ reason: StopReason) {
        let wake = control.withLock { control in
            if control.stopReason == nil { control.stopReason = reason }
            return !control.isTornDown
        }
        if wake { stopped() }
        outbound.writerFailed()
    }

    /// After the last frame: send FIN, then read and discard until the peer's FIN (bounded by the close timeout),
    /// so that closing with unread input does not turn into a reset that could destroy the close frame in flight.
    func linger() async {
        io.socket.shutdownWrite()
        let deadline = ContinuousClock.now + configuration.closeTimeout
        while true {
            guard let event = try? await io.read(deadline: deadline) else { return }
            switch event {
            case .bytes: continue
            case .endOfFile, .timedOut: return
            case .interrupted:
                // ``abort()``: the server stops serving (a connection with a receiver has no task to cancel).
                if control.withLock({ $0.stopReason != nil }) { return }
            }
        }
    }
}
