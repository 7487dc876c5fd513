import Synchronization

/// Hands work from the accept loop and the handshake tasks to the task that owns the server's task group, which
/// starts a fresh child task for each item.
///
/// A WebSocket is served by a child task that starts *after* its handshake task has ended: the Swift task allocator
/// keeps a task's frame slabs (about 1 KiB each) until the task ends, so a task that parsed a request head and then
/// idled for hours would carry the HTTP phase's deepest frames the whole time. A fresh task holds only the frames
/// of the idle read wait.
final class ConnectionWork: Sendable {
    enum Item: Sendable {
        /// A connection was accepted: read and answer its request head.
        case accepted(Socket, SocketAddress)
        /// A handshake succeeded: serve the WebSocket.
        case upgraded(WSConnection, (any Sendable)?)
    }

    private struct State {
        var items: [Item] = []
        var head = 0
        var consumer: CheckedContinuation<Item?, Never>?
        var isClosed = false
    }

    private let state = Mutex(State())

    /// Queues `item`; false once the queue is closed (the caller then disposes of it).
    func offer(_ item: Item) -> Bool {
        let consumer = state.withLock { state -> CheckedContinuation<Item?, Never>?? in
            guard !state.isClosed else { return .none }
            if let consumer = state.consumer {
                state.consumer = nil
                return .some(consumer)
            }
            state.items.append(item)
            return .some(nil)
        }
        switch consumer {
        case .none: return false
        case .some(let waiting?): waiting.resume(returning: item)
        case .some(nil): break
        }
        return true
    }

    /// The next item; nil once the queue is closed and empty. One consumer at a time. Cancelling the consumer
    /// closes the queue (items already queued are still handed out, so none is lost).
    func next() async -> Item? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Item?, Never>) in
                let immediate = state.withLock { state -> Item?? in
                    if state.head < state.items.count {
                        let item = state.items[state.head]
                        state.head += 1
                        if state.head == state.items.count {
                            state.items.removeAll(keepingCapacity: true)
                            state.head = 0
                        }
                        return .some(item)
                    }
                    if state.isClosed || Task.isCancelled {
                        state.isClosed = true
                        return .some(nil)
                    }
                    state.consumer = continuation
                    return .none
                }
                if case .some(let item) = immediate { continuation.resume(returning: item) }
            }
        } onCancel: {
            close()
        }
    }

    /// Closes the queue: later offers fail; a waiting consumer gets nil once the queue is empty.
    func close() {
        let consumer = state.withLock { state -> CheckedContinuation<Item?, Never>? in
            state.isClosed = true
            defer { state.consumer = nil }
            return state.consumer
        }
        consumer?.resume(returning: nil)
    }
}
