#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Musl)
    @preconcurrency import Musl
#endif
import Synchronization

/// A thread of its own that helps the delivering task send a large broadcast.
///
/// A second task on the cooperative pool would help only when a pool thread happens to be free; under load (a run
/// indexing, the clients themselves) it often started only after the first task was done. This thread is always
/// there, parked on a condition variable. The two share the targets through one cursor and take them a few at a
/// time, so a helper that is scheduled late (both cores busy) leaves more to the delivering task instead of holding
/// back a fixed half; a helper that never got the CPU before the end is taken back, and the delivering task returns
/// without waiting for it. One broadcast at a time uses it; a concurrent one is sent entirely by its own task.
final class FanOutWorker: @unchecked Sendable {
    // @unchecked: `job` and `isBusy` are guarded by `mutex` (a pthread mutex: the worker waits on `condition`).

    /// Targets taken per claim: small enough to balance, large enough that the shared cursor stays cold.
    static let chunk = 16

    /// One broadcast's targets and the cursor over them, shared by the delivering task and the worker.
    final class Broadcast: Sendable {
        let prepared: PreparedText
        let targets: [any ClientConnection]
        private let next = Atomic<Int>(0)

        init(_ prepared: PreparedText, to targets: [any ClientConnection]) {
            self.prepared = prepared
            self.targets = targets
        }

        /// Claims and sends chunks until every target was claimed; returns how many this caller sent.
        @discardableResult
        func drain() -> Int {
            var sent = 0
            while true {
                let start = next.add(FanOutWorker.chunk, ordering: .relaxed).oldValue
                guard start < targets.count else { return sent }
                let end = min(start + FanOutWorker.chunk, targets.count)
                for index in start..<end { targets[index].send(prepared: prepared) }
                sent += end - start
            }
        }
    }

    private struct Job {
        var broadcast: Broadcast
        var done: CheckedContinuation<Void, Never>
    }

    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var job: Job?
    private var isBusy = false

    /// The process's worker; its thread starts on first use.
    static let shared = FanOutWorker()

    init() {
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

    /// Sends `prepared` to every target, from the calling task and (when it is free) the worker thread; returns when
    /// every target was written or queued, so the next broadcast cannot overtake this one on any connection.
    func send(_ prepared: PreparedText, to targets: [any ClientConnection]) async {
        let broadcast = Broadcast(prepared, to: targets)
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            let handed = hand(Job(broadcast: broadcast, done: done))
            broadcast.drain()
            // Not handed (busy), or handed but not taken yet: nothing runs on the worker for this broadcast.
            if !handed || takeBack() { done.resume() }
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

    /// Withdraws the handed job if the worker has not taken it yet; true if withdrawn (the caller resumes).
    private func takeBack() -> Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        guard job != nil else { return false }
        job = nil
        isBusy = false
        return true
    }

    private func loop() {
        while true {
            pthread_mutex_lock(mutex)
            while job == nil { pthread_cond_wait(condition, mutex) }
            let current = job!
            job = nil
            pthread_mutex_unlock(mutex)
            current.broadcast.drain()
            pthread_mutex_lock(mutex)
            isBusy = false
            pthread_mutex_unlock(mutex)
            current.done.resume()
        }
    }
}
