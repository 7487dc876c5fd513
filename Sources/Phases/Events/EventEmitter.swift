import Memory
import Synchronization

/// Stamps events with the envelope (`v`, `seq`, `ts`, `run`, `type`, `phase`), serializes each once, and
/// writes the same bytes to every sink, so `runs/<run>/events.ndjson` matches stdout byte for byte.
///
/// The emitter guarantees the one rule consumers rely on most: after ``complete(_:)`` nothing else is
/// written, and ``complete(_:)`` itself runs at most once.
public final class EventEmitter: Sendable {
    /// The schema major version carried in every event's `v`.
    public static let schemaVersion = 1

    /// The run id carried in every event's `run`.
    public let runID: String
    private let output: any EventSink
    private let log: (any EventSink)?
    private let state: Mutex<State>
    private let onOutputClosed: @Sendable () -> Void
    private let onLogFailure: @Sendable (any Error) -> Void

    private struct State {
        var seq = 0
        var isOutputClosed = false
        var isCompleted = false
        var hasReportedLogFailure = false
    }

    /// Creates an emitter.
    /// - Parameters:
    ///   - runID: The run id.
    ///   - output: Where consumers read events (stdout for `raaid run`).
    ///   - log: The run's event log in the memory directory, when one is open.
    ///   - onOutputClosed: Called once when `output` reports that its reader went away.
    ///   - onLogFailure: Called once when the log cannot be written (disk full); the run goes on.
    public init(
        runID: String, output: any EventSink, log: (any EventSink)? = nil,
        onOutputClosed: @escaping @Sendable () -> Void = {},
        onLogFailure: @escaping @Sendable (any Error) -> Void = { _ in }
    ) {
        self.runID = runID
        self.output = output
        self.log = log
        self.state = Mutex(State())
        self.onOutputClosed = onOutputClosed
        self.onLogFailure = onLogFailure
    }

    /// The `seq` of the last event written.
    public var lastSeq: Int { state.withLock { $0.seq } }
    /// Whether stdout's reader went away.
    public var isOutputClosed: Bool { state.withLock { $0.isOutputClosed } }
    /// Whether `run.completed` has been written.
    public var isCompleted: Bool { state.withLock { $0.isCompleted } }

    /// Emits one event and returns its serialized line (newline included), or nil after completion.
    @discardableResult
    public func emit(_ type: EventType, phase: PhaseName? = nil, _ payload: JSONObject = [:]) -> [UInt8]? {
        precondition(type != .runCompleted, "use complete(_:) for run.completed")
        return write(type, phase: phase, payload)
    }

    /// Emits `run.completed`; only the first call writes anything.
    @discardableResult
    public func complete(_ payload: JSONObject) -> [UInt8]? {
        write(.runCompleted, phase: nil, payload)
    }

    private func write(_ type: EventType, phase: PhaseName?, _ payload: JSONObject) -> [UInt8]? {
        var notifyClosed = false
        var logError: (any Error)?
        let line: [UInt8]? = state.withLock { state in
            guard !state.isCompleted else { return nil }
            state.seq += 1
            if type == .runCompleted { state.isCompleted = true }
            var envelope = JSONObject()
            envelope["v"] = .int(Int64(Self.schemaVersion))
            envelope["seq"] = .int(Int64(state.seq))
            envelope["ts"] = .string(Timestamp.now())
            envelope["run"] = .string(runID)
            envelope["type"] = .string(type.rawValue)
            if let phase { envelope["phase"] = .string(phase.rawValue) }
            for (key, value) in payload.pairs { envelope[key] = value }
            var bytes = JSONValue.object(envelope).serializedBytes()
            bytes.append(0x0A)
            if let log {
                do {
                    try log.write(line: bytes)
                } catch {
                    if !state.hasReportedLogFailure {
                        state.hasReportedLogFailure = true
                        logError = error
                    }
                }
            }
            if !state.isOutputClosed {
                do {
                    try output.write(line: bytes)
                } catch {
                    state.isOutputClosed = true
                    notifyClosed = true
                }
            }
            return bytes
        }
        if let logError { onLogFailure(logError) }
        if notifyClosed { onOutputClosed() }
        return line
    }
}
