#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Musl)
    @preconcurrency import Musl
#endif

/// A thread of its own that sends half of a large broadcast while the delivering task sends the other half.
///
/// A second task on the cooperative pool would do the same only when a pool thread happens to be free; under load (a
/// run indexing, the clients themselves) it often started only after the first half was done. This thread is always
/// there, parked on a condition variable; the delivering task suspends (it does not block) until its half is sent.
/// One broadcast at a time uses it; a concurrent one is sent entirely by its own task.
final class FanOutWorker: @unchecked Sendable {
    // @unchecked: `job` and `isBusy` are guarded by `mutex` (a pthread mutex: the worker waits on `condition`).
    private struct Job {
        var prepared: PreparedText
        var targets: ArraySlice<any ClientConnection>
        var done: CheckedContinuation<Void, Never>
    }

    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var job: Job?
    private var isBusy = false

    /// The process's worker; its thread starts on first use.
    static let shared = FanOutWorker()

    private init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
        let box = Unmanaged.passRetained(self).toOpaque()
        var thread = pthread_t()
        let status = pthread_create(
            &thread, nil,
            { raw in
                Unmanaged<FanOutWorker>.fromOpaque(raw!).takeRetainedValue().loop()
                return nil
            }, box)
        precondition(status == 0, "pthread_create failed for the fan-out worker (\(status))")
        pthread_detach(thread)
    }

    /// Sends `prepared` to every target: the second half from the worker thread (when it is free), the first half
    /// from the calling task; returns when both halves are written or queued.
    func send(_ prepared: PreparedText, to targets: [any ClientConnection]) async {
        let half = targets.count / 2
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            if hand(Job(prepared: prepared, targets: targets[half...], done: done)) {
                for connection in targets[..<half] { connection.send(prepared: prepared) }
            } else {
                for connection in targets { connection.send(prepared: prepared) }
                done.resume()
            }
        }
    }

    /// Gives `job` to the worker; false if it is busy.
    private func hand(_ job: Job) -> Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        guard !isBusy else { return false }
        isBusy = true
        self.job = job
        pthread_cond_signal(condition)
        return true
    }

    private func loop() {
        while true {
            pthread_mutex_lock(mutex)
            while job == nil { pthread_cond_wait(condition, mutex) }
            let current = job!
            job = nil
            pthread_mutex_unlock(mutex)
            for connection in current.targets { connection.send(prepared: current.prepared) }
            pthread_mutex_lock(mutex)
            isBusy = false
            pthread_mutex_unlock(mutex)
            current.done.resume()
        }
    }
}
