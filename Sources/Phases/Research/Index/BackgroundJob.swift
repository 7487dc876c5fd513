import Dispatch
import Synchronization

/// Work started on a thread of its own now and joined later (``value()`` blocks until it is done).
///
/// The research engine runs on its own thread, not the cooperative pool, so blocking in ``value()`` is fine there.
final class BackgroundJob<Value: Sendable>: Sendable {
    private let result = Mutex<Value?>(nil)
    private let group = DispatchGroup()

    /// Starts `work` on a thread of its own.
    init(_ work: @escaping @Sendable () -> Value) {
        group.enter()
        DedicatedThreads.run { [self] in
            let v = work()
            result.withLock { $0 = v }
            group.leave()
        }
    }

    /// Waits for the work and returns its result.
    func value() -> Value {
        group.wait()
        return result.withLock { $0! }
    }
}
