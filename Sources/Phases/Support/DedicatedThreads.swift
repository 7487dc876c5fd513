import Synchronization

#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Musl)
@preconcurrency import Musl
#endif

/// Threads of raaid's own for CPU-heavy or blocking work (indexing, walking, waiting on files).
///
/// Not libdispatch's global queues: on Linux those share their few worker threads with Swift concurrency's
/// cooperative pool, so a busy research run there starves every async task in the process — under
/// `raaid serve`, every client's messages. Own threads leave the pool to the server.
package enum DedicatedThreads {
    private static let niceValue = Atomic<Int32>(0)

    /// The nice value (0–19) of threads started from now on. `raaid serve` raises it so that a run's indexing
    /// yields the CPU to the connections' tasks: the scheduler weighs a nice-10 thread about a tenth of a nice-0
    /// one, so clients stay responsive while runs compute, and runs still get every idle cycle.
    package static var niceness: Int32 {
        get { niceValue.load(ordering: .relaxed) }
        set { niceValue.store(min(max(newValue, 0), 19), ordering: .relaxed) }
    }

    private final class Job: @unchecked Sendable {
        // @unchecked: written before the thread starts, read only by that thread.
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    /// Starts `body` on a new detached thread.
    package static func run(_ body: @escaping @Sendable () -> Void) {
        let thread = start(body)
        pthread_detach(thread)
    }

    /// Runs `body(0..<iterations)` on that many threads (the caller's included) and returns when all are done.
    package static func perform(iterations: Int, _ body: (Int) -> Void) {
        guard iterations > 1 else {
            if iterations == 1 { body(0) }
            return
        }
        withoutActuallyEscaping(body) { body in
            let threads = (1..<iterations).map { index in start { body(index) } }
            body(0)
            for thread in threads { pthread_join(thread, nil) }
        }
    }

    /// Runs blocking work on its own thread and awaits the result without holding a cooperative thread.
    package static func value<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            run { continuation.resume(with: Result { try work() }) }
        }
    }

    /// Sets the calling thread's nice value to ``niceness`` (Linux nice values are per thread).
    private static func applyNiceness() {
        let value = niceness
        guard value > 0 else { return }
        // `who` 0 is the calling thread on Linux, where the nice value belongs to each thread.
        #if canImport(Glibc)
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, value)
        #elseif canImport(Musl)
            _ = setpriority(PRIO_PROCESS, 0, value)
        #endif
    }

    private static func start(_ body: @escaping () -> Void) -> pthread_t {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, 8 << 20)
        let context = Unmanaged.passRetained(Job(body)).toOpaque()
        var thread = pthread_t()
        let status = pthread_create(&thread, &attributes, { raw in
            let job = Unmanaged<Job>.fromOpaque(raw!).takeRetainedValue()
            DedicatedThreads.applyNiceness()
            job.body()
            return nil
        }, context)
        precondition(status == 0, "pthread_create failed: \(status)")
        return thread
    }
}
