import Synchronization

/// The reader loop, the writer loop and the teardown of a ``WSConnection``.
extension WSConnection {
    /// How the reader loop ended.
    enum ReaderExit: Sendable, Equatable {
        /// The closing handshake finished or the connection failed: flush the queue (the close frame), then close.
        case closed
        /// The connection stopped (``StopReason``), the close timeout passed, or the peer vanished.
        case abandoned
    }

    /// Runs the handler and the connection's I/O; returns when both are done and the socket is closed.
    func serve(handler: any ServerHandler, context: (any Sendable)?, leftover: ArraySlice<UInt8>) async {
        await withDiscardingTaskGroup { group in
            group.addTask {
                await handler.connected(self, request: self.request, context: context)
                self.close(code: .normalClosure)
            }
            await runIO(leftover: leftover)
        }
    }

    /// One reader (this task) and one writer (a child task); then lingers and closes the socket.
    func runIO(leftover: ArraySlice<UInt8>) async {
        let exit = await withDiscardingTaskGroup { group in
            group.addTask { await self.writeLoop() }
            let exit = await readLoop(leftover: leftover)
            switch exit {
            case .closed: outbound.finish()
            case .abandoned: outbound.abort(final: nil)
            }
            inbox.finish()
            return exit
        }
        let wroteAll = control.withLock { $0.stopReason == nil }
        if exit == .closed && wroteAll { await linger() }
        control.withLock { $0.isTornDown = true }
        io.close()
    }

    /// Reads, parses and dispatches frames until the connection is over.
    func readLoop(leftover: ArraySlice<UInt8>) async -> ReaderExit {
        var parser = WSFrameParser(limits: configuration.webSocketLimits)
        var input = leftover
        var activityDeadline = ContinuousClock.now + configuration.pingInterval
        while true {
            while !input.isEmpty {
                let frame: WSFrame?
                do {
                    frame = try parser.parse(&input)
                } catch {
                    metrics.rejected(error.closeCode)
                    _ = control.withLock { enqueue($0.protocolState.failed(error), &$0) }
                    return .closed
                }
                guard let frame else { break }
                let (deliveries, closes, failure) = control.withLock { control in
                    let result = enqueue(control.protocolState.received(frame), &control)
                    return (result.deliveries, result.closes, control.protocolState.failure)
                }
                for message in deliveries {
                    metrics.messagesIn.add(1)
                    await inbox.push(message)
                }
                if closes {
                    if let failure { metrics.rejected(failure.closeCode) }
                    return control.withLock { $0.stopReason == nil } ? .closed : .abandoned
                }
            }
            input = []  // An empty slice would still pin the last read buffer (up to 64 KiB) while idle.
            let (stopReason, closeStartedAt) = control.withLock { ($0.stopReason, $0.closeStartedAt) }
            if stopReason != nil { return .abandoned }
            let deadline = closeStartedAt.map { $0 + configuration.closeTimeout } ?? activityDeadline
            let event: AsyncSocket.ReadEvent
            do {
                event = try await io.read(deadline: deadline)
            } catch {
                return .abandoned
            }
            switch event {
            case .bytes(let bytes):
                metrics.bytesIn.add(bytes.count)
                input = bytes[...]
                activityDeadline = .now + configuration.pingInterval
            case .endOfFile:
                return .abandoned
            case .interrupted:
                continue
            case .timedOut:
                if closeStartedAt != nil { return .abandoned }
                let closes = control.withLock { enqueue($0.protocolState.sendPing(), &$0).closes }
                if closes {
                    metrics.pingTimeouts.add(1)
                    return .closed
                }
                activityDeadline = .now + configuration.pongTimeout
            }
        }
    }

    /// Writes queued chunks in order until the queue is finished; on a stall or an error, stops the connection.
    func writeLoop() async {
        while let chunk = await outbound.next() {
            let reason: StopReason
            do {
                if try await io.write(chunk, stallTimeout: configuration.writeStallTimeout) {
                    outbound.didWrite(chunk.count)
                    metrics.bytesOut.add(chunk.count)
                    continue
                }
                reason = .writeStalled
                metrics.slowConsumerDisconnects.add(1)
            } catch {
                reason = .writeFailed
            }
            control.withLock { control in
                if control.stopReason == nil { control.stopReason = reason }
            }
            outbound.abort(final: nil)
            stopped()
            return
        }
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
            case .interrupted: continue
            }
        }
    }
}
