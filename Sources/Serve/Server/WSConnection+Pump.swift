import Synchronization

/// Serving a connection with a ``WSReceiver``: no task exists while the connection is idle.
///
/// The read wait is a reactor callback (``Reactor/notify(_:for:deadline:_:)``); when input, a deadline or an
/// interrupt arrives, a short task reads what the socket has, parses it, answers control frames, hands the messages
/// to the receiver and parks the connection again. At most one such task runs per connection at a time (only one
/// callback is ever registered), so the receiver sees the messages in order, one call at a time.
extension WSConnection {
    /// Starts serving with `receiver`; `onEnd` runs once the socket is closed.
    func startPump(_ receiver: any WSReceiver, onEnd: @escaping @Sendable () -> Void) {
        Task { await self.pump(receiver, after: nil, onEnd: onEnd) }
    }

    /// Stops a connection that no task may be waiting on (server stopping): nothing more is written or read, and its
    /// pump tears it down at once.
    func abort() {
        let wake = control.withLock { control in
            if control.stopReason == nil { control.stopReason = .serverStopped }
            return !control.isTornDown
        }
        outbound.close()
        if wake { stopped() }
    }

    private func pump(
        _ receiver: any WSReceiver, after wait: Result<Reactor.WaitResult, Reactor.WaitError>?,
        onEnd: @escaping @Sendable () -> Void
    ) async {
        guard var state = takeReader() else { return }
        var exit: ReaderExit?
        switch wait {
        case .failure: exit = .abandoned
        case .success(.timedOut): exit = readTimedOut(&state)
        case .success, nil: break
        }
        while exit == nil {
            switch readAvailable(&state) {
            case .exit(let value):
                exit = value
            case .delivered:
                let messages = state.deliveries
                state.deliveries = []
                for message in messages { receiver.received(message) }
            case .wait(let deadline):
                putReader(state)
                io.reactor.notify(io.socket.descriptor, for: .read, deadline: deadline) { result in
                    Task { await self.pump(receiver, after: result, onEnd: onEnd) }
                }
                return
            }
        }
        state.deliveries = []
        state.input = []
        state.exit = exit
        putReader(state)
        receiver.closed()
        await finishIO(exit ?? .abandoned)
        onEnd()
    }
}

/// Receives a WebSocket's messages without a task of its own (see ``ServerHandler/receiver(for:request:context:)``).
///
/// Calls come from short-lived tasks, one at a time and in order for a connection; they must not block. Reply with
/// ``WSConnection/send(_:)``, which never blocks.
public protocol WSReceiver: Sendable {
    /// A complete message arrived.
    func received(_ message: WSMessage)
    /// The connection is over (closed by either side or failed); no more calls follow.
    func closed()
}
