import Dispatch
import Synchronization

/// Work started on a global dispatch queue now and joined later (``value()`` blocks until it is done).
///
/// The research engine runs on a dispatch thread, not the cooperative pool, so blocking in ``value()`` is fine there.
final class BackgroundJob<Value: Sendable>: Sendable {
    private let result = Mutex<Value?>(nil)
    private let group = DispatchGroup()

    /// Starts `work` on a global queue.
    init(_ work: @escaping @Sendable () -> Value) {
        DispatchQueue.global().async(group: group) { [self] in
            let v = work()
            result.withLock { $0 = v }
        }
    }

    /// Waits for the work and returns its result.
    func value() -> Value {
        group.wait()
        return result.withLock { $0! }
    }
}
