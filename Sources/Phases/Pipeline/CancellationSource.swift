import Synchronization

/// A run-wide cancellation flag with the reason that set it first (SIGINT, SIGTERM, stdout closed).
///
/// Blocking work (the research engine on its own thread) polls ``isCancelled``; async work is cancelled
/// through the task that ``onCancel(_:)`` hooks.
public final class CancellationSource: Sendable {
    private let state = Mutex<(reason: RunOutcome.Reason?, handlers: [@Sendable () -> Void])>((nil, []))

    /// A source that is not cancelled.
    public init() {}

    /// The first reason given to ``cancel(_:)``.
    public var reason: RunOutcome.Reason? { state.withLock { $0.reason } }
    /// Whether ``cancel(_:)`` was called.
    public var isCancelled: Bool { reason != nil }

    /// Cancels with `reason`; only the first call counts. Returns whether this call cancelled.
    @discardableResult
    public func cancel(_ reason: RunOutcome.Reason) -> Bool {
        let handlers: [@Sendable () -> Void]? = state.withLock { state in
            guard state.reason == nil else { return nil }
            state.reason = reason
            defer { state.handlers = [] }
            return state.handlers
        }
        handlers?.forEach { $0() }
        return handlers != nil
    }

    /// Runs `handler` on cancellation (immediately when already cancelled).
    public func onCancel(_ handler: @escaping @Sendable () -> Void) {
        let runNow = state.withLock { state in
            if state.reason != nil { return true }
            state.handlers.append(handler)
            return false
        }
        if runNow { handler() }
    }
}
