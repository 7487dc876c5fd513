/// The dotted event type of the v1 event stream (docs/events.md lists each with its fields).
public struct EventType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    /// The run waits for a free slot (`raaid serve` caps concurrently executing runs).
    public static let runQueued = EventType(rawValue: "run.queued")
    /// The run began: version, session, task, phases, provider, permissions, limits.
    public static let runStarted = EventType(rawValue: "run.started")
    /// A phase began.
    public static let phaseStarted = EventType(rawValue: "phase.started")
    /// A phase finished its work; its records were promoted to global memory.
    public static let phaseCompleted = EventType(rawValue: "phase.completed")
    /// A phase stopped on an error.
    public static let phaseFailed = EventType(rawValue: "phase.failed")
    /// A phase was not run, with a reason.
    public static let phaseSkipped = EventType(rawValue: "phase.skipped")
    /// Long work advanced: done / total / unit.
    public static let progress = EventType(rawValue: "progress")
    /// Something the agent produced started.
    public static let itemStarted = EventType(rawValue: "item.started")
    /// Something the agent produced is complete.
    public static let itemCompleted = EventType(rawValue: "item.completed")
    /// A model request began.
    public static let turnStarted = EventType(rawValue: "turn.started")
    /// A model request finished: usage for it and the running totals, cost, context fill.
    public static let turnCompleted = EventType(rawValue: "turn.completed")
    /// Streamed text of an item (opt-in with `--stream-deltas`).
    public static let itemDelta = EventType(rawValue: "item.delta")
    /// A tool call was allowed or denied, and by what.
    public static let permissionDecided = EventType(rawValue: "permission.decided")
    /// Still waiting on the model or a command.
    public static let heartbeat = EventType(rawValue: "heartbeat")
    /// A record was added to memory.
    public static let memoryWritten = EventType(rawValue: "memory.written")
    /// Something went wrong; `fatal` says whether the run goes on.
    public static let error = EventType(rawValue: "error")
    /// The run ended. Exactly one, always the last line.
    public static let runCompleted = EventType(rawValue: "run.completed")
}

/// The phases of a run.
public enum PhaseName: String, Sendable, CaseIterable {
    case research, planning, implementation
}
