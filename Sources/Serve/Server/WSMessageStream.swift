import Synchronization

/// The messages received on one ``WSConnection``, in order; it ends when the connection closes.
///
/// The buffer between the socket reader and the consumer is bounded
/// (``ServerConfiguration/maxPendingMessages``): when it is full the reader stops reading the socket, so a fast
/// client meets TCP backpressure instead of growing the server's memory. Iterate it from one task only.
public struct WSMessageStream: AsyncSequence, Sendable {
    public typealias Element = WSMessage
    public typealias Failure = Never

    let inbox: MessageInbox

    /// Iterates the messages.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let inbox: MessageInbox

        /// The next message, or nil once the connection is closed or the task is cancelled.
        public mutating func next() async -> WSMessage? { await inbox.next() }

        public mutating func next(isolation actor: isolated (any Actor)?) async -> WSMessage? { await inbox.next() }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(inbox: inbox) }
}

/// A bounded single-producer, single-consumer queue of messages with suspension on both sides.
final class MessageInbox: Sendable {
    private struct State {
        var buffer: [WSMessage] = []
        var head = 0
        var isFinished = false
        var consumer: CheckedContinuation<WSMessage?, Never>?
        var producer: CheckedContinuation<Void, Never>?

        var count: Int { buffer.count - head }

        mutating func popFirst() -> WSMessage? {
            guard head < buffer.count else { return nil }
            let message = buffer[head]
            head += 1
            if head == buffer.count {
                buffer = []
                head = 0
            } else if head >= 64 && head * 2 >= buffer.count {
                buffer.removeFirst(head)
                head = 0
            }
            return message
        }
    }

    private let state = Mutex(State())
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Hands `message` to the consumer, suspending while the buffer is full; drops it once finished.
    func push(_ message: WSMessage) async {
        let consumer: CheckedContinuation<WSMessage?, Never>? = state.withLock { state in
            guard !state.isFinished else { return nil }
            if let consumer = state.consumer {
                state.consumer = nil
                return consumer
            }
            state.buffer.append(message)
            return nil
        }
        if let consumer {
            consumer.resume(returning: message)
            return
        }
        guard state.withLock({ $0.count >= capacity && !$0.isFinished }) else { return }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let suspend = state.withLock { state in
                    guard state.count >= capacity, !state.isFinished, !Task.isCancelled else { return false }
                    state.producer = continuation
                    return true
                }
                if !suspend { continuation.resume() }
            }
        } onCancel: {
            state.withLock { state in
                defer { state.producer = nil }
                return state.producer
            }?.resume()
        }
    }

    /// The next message, suspending while the buffer is empty; nil once finished and drained, or when cancelled.
    func next() async -> WSMessage? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<WSMessage?, Never>) in
                let (result, producer) = state.withLock { state -> (WSMessage??, CheckedContinuation<Void, Never>?) in
                    if let message = state.popFirst() {
                        let producer = state.count < capacity ? state.producer : nil
                        if producer != nil { state.producer = nil }
                        return (.some(message), producer)
                    }
                    if state.isFinished || Task.isCancelled { return (.some(nil), nil) }
                    state.consumer = continuation
                    return (nil, nil)
                }
                producer?.resume()
                if let result { continuation.resume(returning: result) }
            }
        } onCancel: {
            state.withLock { state in
                defer { state.consumer = nil }
                return state.consumer
            }?.resume(returning: nil)
        }
    }

    /// Ends the stream: the consumer gets the buffered messages then nil, and a blocked producer is released.
    func finish() {
        let (consumer, producer) = state.withLock { state in
            state.isFinished = true
            defer {
                state.producer = nil
                state.consumer = nil
            }
            return (state.consumer, state.producer)
        }
        consumer?.resume(returning: nil)
        producer?.resume()
    }
}
