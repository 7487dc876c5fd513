import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A directory waiting to be read by a ``DirectoryWorker``.
struct DirectoryJob: Sendable {
    /// Unique within one walk; the root is 0.
    let id: Int
    /// Root-relative prefix ending in `/`, or empty for the root.
    let path: [UInt8]
    /// Rules in force for the directory's entries before its own ignore files are read.
    let rules: IgnoreRules?
    /// Reached through a followed symlink, so the final component must be opened following links.
    let isLinked: Bool
}

/// The shared stack of unread directories for the walker's threads.
final class WalkQueue: Sendable {
    private struct State {
        var pending: [DirectoryJob] = []
        var active = 0
        var isCancelled = false
    }

    private enum Next {
        case job(DirectoryJob)
        case wait
        case done
    }

    private let state = Mutex(State())
    /// Files accepted so far across all workers, for progress reports.
    let acceptedFiles = Atomic<Int>(0)

    init(root: DirectoryJob) {
        state.withLock { $0.pending = [root] }
    }

    /// Takes the next directory, waiting while other workers may still add some.
    ///
    /// - Returns: `nil` once every directory has been read or the walk was cancelled.
    func next() -> DirectoryJob? {
        var spins = 0
        while true {
            let next: Next = state.withLock { state in
                if state.isCancelled { return .done }
                if let job = state.pending.popLast() {
                    state.active += 1
                    return .job(job)
                }
                return state.active == 0 ? .done : .wait
            }
            switch next {
            case .job(let job): return job
            case .done: return nil
            case .wait:
                spins += 1
                if spins < 100 { sched_yield() } else { usleep(50) }
            }
        }
    }

    /// Marks a directory as read and publishes its subdirectories; the first one is handed out first.
    func finish(children: [DirectoryJob]) {
        state.withLock { state in
            state.pending.append(contentsOf: children.reversed())
            state.active -= 1
        }
    }

    /// Stops every worker at its next ``next()``.
    func cancel() {
        state.withLock { $0.isCancelled = true }
    }

    var isCancelled: Bool { state.withLock { $0.isCancelled } }
}
