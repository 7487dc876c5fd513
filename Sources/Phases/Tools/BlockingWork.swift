import Dispatch

/// Runs blocking work (directory walks, regex scans over many files) on a thread of its own instead of the
/// cooperative pool (see ``DedicatedThreads``).
enum BlockingWork {
    static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await DedicatedThreads.value(work)
    }
}
