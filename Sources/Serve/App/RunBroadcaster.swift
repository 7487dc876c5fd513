import Memory
import Phases
import Synchronization

/// Fans one run's event lines out to its subscribers, keeping the lines in memory while the run is live so
/// a subscriber that asks for `since_seq` gets the missed events and then the live ones, with no gap and no
/// duplicate (the replay and the registration happen under one lock).
///
/// Delivery is decoupled from the run: ``write(line:)`` only records the line and who must get it; a delivery task
/// on the cooperative pool (one at a time per run, so every subscriber gets the lines in order) writes them out. The
/// thread that emitted the event (possibly a run's low-priority indexing thread, see `--run-nice`) never waits for
/// 1,000 sockets, and large fan-outs are split with a thread of their own (``FanOutWorker``) so both cores send.
final class RunBroadcaster: EventSink {
    /// Subscriber counts from which one line is sent by two threads at once.
    static let parallelThreshold = 256

    private struct Delivery {
        var text: String
        var targets: [any ClientConnection]
    }

    private struct State {
        var lines: [String] = []
        var subscribers: [Int: any ClientConnection] = [:]
        var isFinished = false
        var pending: [Delivery] = []
        var isDelivering = false
    }

    private let state = Mutex(State())

    /// Called by the run's ``EventEmitter`` for every event (after it was appended to the event log).
    func write(line: [UInt8]) throws {
        let text = String(decoding: line.last == 0x0A ? line.dropLast() : line[...], as: UTF8.self)
        let isLast = text.contains(#""type":"run.completed""#)
        let startDelivery = state.withLock { state -> Bool in
            state.lines.append(text)
            if isLast { state.isFinished = true }
            guard !state.subscribers.isEmpty else { return false }
            state.pending.append(Delivery(text: text, targets: Array(state.subscribers.values)))
            guard !state.isDelivering else { return false }
            state.isDelivering = true
            return true
        }
        if startDelivery { Task { await self.deliver() } }
    }

    /// Sends pending lines in order until none is left.
    private func deliver() async {
        while true {
            let batch = state.withLock { state -> [Delivery] in
                if state.pending.isEmpty { state.isDelivering = false }
                defer { state.pending = [] }
                return state.pending
            }
            guard !batch.isEmpty else { return }
            for delivery in batch { await Self.send(PreparedText(delivery.text), to: delivery.targets) }
        }
    }

    /// Sends one line to every target; returns once all were written or queued.
    private static func send(_ prepared: PreparedText, to targets: [any ClientConnection]) async {
        guard targets.count >= parallelThreshold else {
            for connection in targets { connection.send(prepared: prepared) }
            return
        }
        await FanOutWorker.shared.send(prepared, to: targets)
    }

    /// Sends the events with `seq > sinceSeq` to `connection`, then keeps it subscribed for live events.
    /// Returns the number of events replayed.
    ///
    /// The replay is written outside the lock, in rounds, so a long replay (a late client asking from `since_seq` 0)
    /// never holds up the run, which takes the same lock for every event it emits: each round sends what was missed
    /// so far, and the last few lines are sent under the lock together with the registration, so no line is
    /// skipped or sent twice, and the live lines that follow go out after them.
    @discardableResult
    func subscribe(_ connection: any ClientConnection, sinceSeq: Int) -> Int {
        let start = max(0, sinceSeq)
        var sent = start
        while true {
            let batch = state.withLock { state -> [String]? in
                let missed = state.lines.count - sent
                if missed > Self.replayUnderLock {
                    return Array(state.lines[sent...])
                }
                for line in state.lines.dropFirst(sent) { connection.send(text: line) }
                sent = max(sent, state.lines.count)
                if !state.isFinished { state.subscribers[connection.connectionID] = connection }
                return nil
            }
            guard let batch else { return sent - start }
            for line in batch { connection.send(text: line) }
            sent += batch.count
        }
    }

    /// Lines a subscriber's replay may still send while holding the lock (the final catch-up round).
    static let replayUnderLock = 16

    /// Stops sending to `connectionID`.
    func unsubscribe(_ connectionID: Int) {
        _ = state.withLock { $0.subscribers.removeValue(forKey: connectionID) }
    }

    /// The number of live subscribers.
    var subscriberCount: Int { state.withLock { $0.subscribers.count } }

    /// Whether `run.completed` went through.
    var isFinished: Bool { state.withLock { $0.isFinished } }

    /// Lines emitted so far.
    var lineCount: Int { state.withLock { $0.lines.count } }
}
