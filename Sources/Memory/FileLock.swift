#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Musl)
    @preconcurrency import Musl
#endif

/// An advisory `flock(2)` lock on the store's `lock` file.
///
/// Each acquisition opens its own descriptor, so the lock is held by its own open file description: two threads
/// of one process contend exactly like two processes do, and closing the descriptor releases the lock.
enum FileLock {
    /// Runs `body` while holding the lock: shared (`LOCK_SH`) for readers, exclusive (`LOCK_EX`) for writers.
    static func withLock<T>(path: String, exclusive: Bool, _ body: () throws -> T) throws -> T {
        let fd: Int32
        if let existing = try FileSystem.openFile(path, O_RDONLY) {
            fd = existing
        } else {
            fd = try FileSystem.openExistingFile(path, O_RDWR | O_CREAT)
        }
        defer { FileSystem.closeFile(fd) }
        while flock(fd, exclusive ? LOCK_EX : LOCK_SH) != 0 {
            let code = errno
            if code == EINTR { continue }
            throw MemoryError.io(path: path, operation: "lock", errno: code)
        }
        return try body()
    }
}
