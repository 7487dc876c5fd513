import Synchronization

/// The single queue of encoded frames waiting to be written to a connection's socket, bounded in bytes.
///
/// Every outbound frame (data, pong, close) goes through it, so frames never interleave on the wire. Data frames
/// are refused once ``queuedBytes`` would exceed the limit; control frames always fit.
///
/// Writing is inline: when nothing is queued, ``enqueue(_:isControl:)`` writes the frame to the non-blocking
/// socket at once, from the sender's task, under the queue's lock (one `send(2)` that never blocks). Only when the
/// socket takes less than everything (`EAGAIN`) is the rest queued and a writer needed: the caller starts one
/// (``EnqueueResult/enqueuedNeedsWriter``), which waits for writability and drains the queue with ``flush()``,
/// then ends. An idle connection therefore has no writer task and no buffer.
final class OutboundQueue: Sendable {
    /// The outcome of ``enqueue(_:isControl:)``.
    enum EnqueueResult: Equatable {
        /// Written to the socket, or queued behind a running writer.
        case enqueued
        /// Queued because the socket is full: the caller must start a writer (see ``writerStarted(_:)``).
        case enqueuedNeedsWriter
        /// The byte limit would be exceeded: the caller applies the slow-consumer policy.
        case overflow
        /// The queue is finished; the frame was dropped.
        case finished
        /// The socket failed (the peer is gone); the frame was dropped.
        case failed
    }

    /// The outcome of one ``flush()`` by the writer.
    enum FlushResult: Equatable {
        /// Everything was written; the writer must end (the next sender writes inline again).
        case drained
        /// The socket is full: wait for writability and flush again.
        case blocked
        /// The socket failed; the writer must end.
        case failed
    }

    private struct State {
        var chunks: [[UInt8]] = []
        var head = 0
        /// Bytes of `chunks[head]` already written.
        var offset = 0
        var queuedBytes = 0
        var isFinished = false
        /// The socket was closed or failed: nothing more is written.
        var isClosed = false
        /// A writer owns the queue (it is not empty, or a writer was asked for and has not drained it yet).
        var hasWriter = false
        var writer: Task<Void, Never>?
        var writerDone: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())
    private let limit: Int
    private let socket: Socket
    private let metrics: ServerMetricsRecorder?

    init(limit: Int, socket: Socket, metrics: ServerMetricsRecorder? = nil) {
        self.limit = limit
        self.socket = socket
        self.metrics = metrics
    }

    /// Bytes queued and not yet written.
    var queuedBytes: Int { state.withLock { $0.queuedBytes } }

    /// Writes an encoded frame, or queues it behind the bytes already waiting.
    func enqueue(_ bytes: [UInt8], isControl: Bool) -> EnqueueResult {
        state.withLock { state in
            guard !state.isFinished, !state.isClosed else { return .finished }
            guard isControl || state.queuedBytes + bytes.count <= limit || state.queuedBytes == 0 else {
                return .overflow
            }
            if state.hasWriter {
                state.chunks.append(bytes)
                state.queuedBytes += bytes.count
                return .enqueued
            }
            let written: Int
            do {
                written = try write(bytes, from: 0)
            } catch {
                state.isClosed = true
                return .failed
            }
            if written == bytes.count { return .enqueued }
            state.chunks = [bytes]
            state.head = 0
            state.offset = written
            state.queuedBytes = bytes.count - written
            state.hasWriter = true
            return .enqueuedNeedsWriter
        }
    }

    /// Records the writer task started after ``EnqueueResult/enqueuedNeedsWriter``, so teardown can stop and await it.
    func writerStarted(_ task: Task<Void, Never>) {
        let cancel = state.withLock { state in
            guard state.hasWriter else { return false }
            state.writer = task
            return state.isClosed
        }
        if cancel { task.cancel() }
    }

    /// The writer's step: writes queued bytes until the queue is empty or the socket is full.
    func flush() -> FlushResult {
        let (result, done) = state.withLock { state -> (FlushResult, [CheckedContinuation<Void, Never>]) in
            guard !state.isClosed else { return (.failed, releaseWriter(&state)) }
            while state.head < state.chunks.count {
                let chunk = state.chunks[state.head]
                let written: Int
                do {
                    written = try write(chunk, from: state.offset)
                } catch {
                    state.isClosed = true
                    dropQueued(&state)
                    return (.failed, releaseWriter(&state))
                }
                state.queuedBytes -= written
                state.offset += written
                guard state.offset == chunk.count else { return (.blocked, []) }
                state.head += 1
                state.offset = 0
            }
            state.chunks = []
            state.head = 0
            return (.drained, releaseWriter(&state))
        }
        for waiter in done { waiter.resume() }
        return result
    }

    /// The writer gave up (stall timeout or cancellation): nothing more is written.
    func writerFailed() {
        let done = state.withLock { state in
            state.isClosed = true
            state.isFinished = true
            dropQueued(&state)
            return releaseWriter(&state)
        }
        for waiter in done { waiter.resume() }
    }

    /// Drops every byte not yet written (a partly written frame is finished first, so the stream stays valid),
    /// appends `final` (a close frame) and finishes the queue.
    func abort(final: [UInt8]?) -> EnqueueResult {
        state.withLock { state in
            guard !state.isFinished, !state.isClosed else { return .finished }
            state.isFinished = true
            if state.head < state.chunks.count {
                let partial = state.offset > 0 ? state.chunks[state.head] : nil
                let offset = state.offset
                dropQueued(&state)
                if let partial {
                    state.chunks = [partial]
                    state.offset = offset
                    state.queuedBytes = partial.count - offset
                }
            }
            guard let final else { return .enqueued }
            if state.hasWriter {
                if state.chunks.isEmpty { state.offset = 0 }
                state.chunks.append(final)
                state.queuedBytes += final.count
                return .enqueued
            }
            let written: Int
            do {
                written = try write(final, from: 0)
            } catch {
                state.isClosed = true
                return .failed
            }
            if written == final.count { return .enqueued }
            state.chunks = [final]
            state.offset = written
            state.queuedBytes = final.count - written
            state.hasWriter = true
            return .enqueuedNeedsWriter
        }
    }

    /// No more frames: the writer (if any) drains what is queued, then ends.
    func finish() {
        state.withLock { $0.isFinished = true }
    }

    /// Stops writing at once: queued bytes are dropped and a parked writer is cancelled.
    func close() {
        let writer = state.withLock { state in
            state.isClosed = true
            state.isFinished = true
            dropQueued(&state)
            return state.writer
        }
        writer?.cancel()
    }

    /// Waits until no writer owns the queue (it drained, failed or was cancelled).
    func waitForWriter() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let idle = state.withLock { state in
                if !state.hasWriter { return true }
                state.writerDone.append(continuation)
                return false
            }
            if idle { continuation.resume() }
        }
    }

    private func dropQueued(_ state: inout State) {
        state.chunks = []
        state.head = 0
        state.offset = 0
        state.queuedBytes = 0
    }

    private func releaseWriter(_ state: inout State) -> [CheckedContinuation<Void, Never>] {
        state.hasWriter = false
        state.writer = nil
        defer { state.writerDone = [] }
        return state.writerDone
    }

    /// Writes `bytes[offset...]` without blocking; returns how many bytes the socket took.
    private func write(_ bytes: [UInt8], from offset: Int) throws -> Int {
        var position = offset
        while position < bytes.count {
            let written = try bytes.withUnsafeBytes { raw throws(SocketError) in
                try socket.send(UnsafeRawBufferPointer(rebasing: raw[position...]))
            }
            guard let written else { break }
            position += written
        }
        metrics?.bytesOut.add(position - offset)
        return position - offset
    }
}
