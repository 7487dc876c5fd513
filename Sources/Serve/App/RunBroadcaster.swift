import Memory
import Phases
import Synchronization

/// Fans one run's event lines out to its subscribers, keeping the lines in memory while the run is live so
/// a subscriber that asks for `since_seq` gets the missed events and then the live ones, with no gap and no
/// duplicate (the replay and the registration happen under one lock).
final class RunBroadcaster: EventSink {
    private struct Subscriber {
        var connection: any ClientConnection
    }

    private struct State {
        var lines: [String] = []
        var subscribers: [Int: Subscriber] = [:]
        var isFinished = false
    }

    private let state = Mutex(State())

    /// Called by the run's ``EventEmitter`` for every event (after it was appended to the event log).
    func write(line: [UInt8]) throws {
        let text = String(decoding: line.last == 0x0A ? line.dropLast() : line[...], as: UTF8.self)
        let isLast = text.contains(#""type":"run.completed""#)
        let targets: [any ClientConnection] = state.withLock { state in
            state.lines.append(text)
            if isLast { state.isFinished = true }
            return state.subscribers.values.map(\.connection)
        }
        guard !targets.isEmpty else { return }
        let prepared = PreparedText(text)
        for connection in targets { connection.send(prepared: prepared) }
    }

    /// Sends the events with `seq > sinceSeq` to `connection`, then keeps it subscribed for live events.
    /// Returns the number of events replayed.
    @discardableResult
    func subscribe(_ connection: any ClientConnection, sinceSeq: Int) -> Int {
        state.withLock { state in
            let missed = state.lines.dropFirst(max(0, sinceSeq))
            for line in missed { connection.send(text: line) }
            if !state.isFinished { state.subscribers[connection.connectionID] = Subscriber(connection: connection) }
            return missed.count
        }
    }

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
