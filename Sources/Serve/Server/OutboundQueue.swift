import Synchronization

/// The single queue of encoded frames waiting for a connection's writer loop, bounded in bytes.
///
/// Every outbound frame (data, pong, close) goes through it, so frames never interleave on the wire. Data frames
/// are refused once ``queuedBytes`` would exceed the limit; control frames always fit.
final class OutboundQueue: Sendable {
    /// The outcome of ``enqueue(_:isControl:)``.
    enum EnqueueResult: Equatable {
        case enqueued
        /// The byte limit would be exceeded: the caller applies the slow-consumer policy.
        case overflow
        /// The queue is finished; the frame was dropped.
        case finished
    }

    private struct State {
        var chunks: [[UInt8]] = []
        var head = 0
        var queuedBytes = 0
        var isFinished = false
        var writer: CheckedContinuation<[UInt8]?, Never>?
    }

    private let state = Mutex(State())
    private let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    /// Bytes queued or being written.
    var queuedBytes: Int { state.withLock { $0.queuedBytes } }

    /// Appends an encoded frame for the writer.
    func enqueue(_ bytes: [UInt8], isControl: Bool) -> EnqueueResult {
        let (result, writer): (EnqueueResult, CheckedContinuation<[UInt8]?, Never>?) = state.withLock { state in
            guard !state.isFinished else { return (.finished, nil) }
            guard isControl || state.queuedBytes + bytes.count <= limit || state.queuedBytes == 0 else {
                return (.overflow, nil)
            }
            state.queuedBytes += bytes.count
            if let writer = state.writer {
                state.writer = nil
                return (.enqueued, writer)
            }
            state.chunks.append(bytes)
            return (.enqueued, nil)
        }
        writer?.resume(returning: bytes)
        return result
    }

    /// Drops every chunk not yet handed to the writer, appends `final` (a close frame) and finishes the queue.
    func abort(final: [UInt8]?) {
        let (writer, value): (CheckedContinuation<[UInt8]?, Never>?, [UInt8]?) = state.withLock { state in
            guard !state.isFinished else { return (nil, nil) }
            for chunk in state.chunks[state.head...] { state.queuedBytes -= chunk.count }
            state.chunks = []
            state.head = 0
            state.isFinished = true
            if let final { state.queuedBytes += final.count }
            if let writer = state.writer {
                state.writer = nil
                return (writer, final)
            }
            if let final { state.chunks.append(final) }
            return (nil, nil)
        }
        writer?.resume(returning: value)
    }

    /// Lets the writer drain what is queued, then end.
    func finish() {
        let writer: CheckedContinuation<[UInt8]?, Never>? = state.withLock { state in
            state.isFinished = true
            defer { state.writer = nil }
            return state.chunks.count == state.head ? state.writer : nil
        }
        writer?.resume(returning: nil)
    }

    /// Records that the writer has written `count` bytes of a chunk it took.
    func didWrite(_ count: Int) {
        state.withLock { $0.queuedBytes -= count }
    }

    /// The next chunk for the writer; nil once the queue is finished and drained, or when cancelled.
    func next() async -> [UInt8]? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<[UInt8]?, Never>) in
                let result: [UInt8]?? = state.withLock { state in
                    if state.head < state.chunks.count {
                        let chunk = state.chunks[state.head]
                        state.head += 1
                        if state.head == state.chunks.count {
                            state.chunks = []
                            state.head = 0
                        }
                        return .some(chunk)
                    }
                    if state.isFinished || Task.isCancelled { return .some(nil) }
                    state.writer = continuation
                    return nil
                }
                if let result { continuation.resume(returning: result) }
            }
        } onCancel: {
            state.withLock { state in
                defer { state.writer = nil }
                return state.writer
            }?.resume(returning: nil)
        }
    }
}
