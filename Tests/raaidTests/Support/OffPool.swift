import Foundation

/// Runs blocking work (waiting for a child process, reading its pipes, sleeping) on its own thread, so the
/// test doesn't hold one of the few cooperative-pool threads that the async server tests need.
func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread {
            do { continuation.resume(returning: try body()) } catch { continuation.resume(throwing: error) }
        }.start()
    }
}
