import Synchronization

#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Musl)
    @preconcurrency import Musl
#endif

/// An open, append-only `runs/<run>/events.ndjson`.
///
/// Appends from several threads never interleave: each line is written whole under an internal mutex, with
/// `O_APPEND` so that other processes appending to the same file cannot overwrite it either.
public final class EventLog: Sendable {
    /// The file's path.
    public let path: String
    /// The open descriptor, or -1 once closed.
    private let descriptor: Mutex<Int32>

    init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = Mutex(descriptor)
    }

    deinit { close() }

    /// Appends one line; pass it with its trailing `\n`. Partial writes and `EINTR` are retried.
    ///
    /// - Throws: ``MemoryError/io(path:operation:errno:)``, with `EBADF` after ``close()``.
    public func append(line: [UInt8]) throws {
        try descriptor.withLock { fd throws(MemoryError) in
            guard fd >= 0 else { throw .io(path: path, operation: "write", errno: EBADF) }
            try FileSystem.writeAll(fd, line, path: path)
        }
    }

    /// Flushes appended lines to stable storage (`fsync`).
    public func sync() throws {
        try descriptor.withLock { fd throws(MemoryError) in
            guard fd >= 0 else { throw .io(path: path, operation: "fsync", errno: EBADF) }
            try FileSystem.syncFile(fd, path: path)
        }
    }

    /// Closes the file; later appends throw. Closing twice is harmless.
    public func close() {
        descriptor.withLock { fd in
            if fd >= 0 { FileSystem.closeFile(fd) }
            fd = -1
        }
    }
}
