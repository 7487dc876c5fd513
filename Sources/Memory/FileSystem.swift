#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Musl)
    @preconcurrency import Musl
#endif

/// Thin wrappers over the POSIX file calls the memory store needs.
///
/// Every descriptor is opened with `O_CLOEXEC`, every call is retried on `EINTR`, and every failure becomes
/// ``MemoryError/io(path:operation:errno:)`` with the `errno` captured right after the failing call.
package enum FileSystem {
    /// Opens `path`; `nil` when it does not exist and `flags` has no `O_CREAT`.
    static func openFile(_ path: String, _ flags: Int32, mode: mode_t = 0o644) throws(MemoryError) -> Int32? {
        while true {
            let fd = open(path, flags | O_CLOEXEC, mode)
            if fd >= 0 { return fd }
            let code = errno
            if code == EINTR { continue }
            if code == ENOENT && flags & O_CREAT == 0 { return nil }
            throw .io(path: path, operation: "open", errno: code)
        }
    }

    /// Opens `path`, which must exist or be created by `flags`.
    static func openExistingFile(_ path: String, _ flags: Int32, mode: mode_t = 0o644) throws(MemoryError) -> Int32 {
        guard let fd = try openFile(path, flags, mode: mode) else {
            throw .io(path: path, operation: "open", errno: ENOENT)
        }
        return fd
    }

    /// Closes a descriptor, ignoring errors (there is nothing useful to do about them after `fsync`).
    static func closeFile(_ fd: Int32) {
        _ = close(fd)
    }

    /// Writes every byte, looping over partial writes and `EINTR`.
    static func writeAll(_ fd: Int32, _ bytes: some Collection<UInt8>, path: String) throws(MemoryError) {
        let array = Array(bytes)
        var written = 0
        while written < array.count {
            let n = array.withUnsafeBytes { raw in
                write(fd, raw.baseAddress! + written, raw.count - written)
            }
            if n < 0 {
                let code = errno
                if code == EINTR { continue }
                throw .io(path: path, operation: "write", errno: code)
            }
            written += n
        }
    }

    /// Reads from the current offset to the end of the file.
    static func readToEnd(_ fd: Int32, path: String) throws(MemoryError) -> [UInt8] {
        var result = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                let code = errno
                if code == EINTR { continue }
                throw .io(path: path, operation: "read", errno: code)
            }
            if n == 0 { return result }
            result.append(contentsOf: chunk[0..<n])
        }
    }

    /// The whole file, or `nil` when it does not exist.
    package static func readFile(_ path: String) throws(MemoryError) -> [UInt8]? {
        guard let fd = try openFile(path, O_RDONLY) else { return nil }
        defer { closeFile(fd) }
        return try readToEnd(fd, path: path)
    }

    /// Reads up to `count` bytes at `offset`.
    static func readBytes(_ fd: Int32, count: Int, at offset: Int, path: String) throws(MemoryError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        var got = 0
        while got < count {
            let n = buffer.withUnsafeMutableBytes { raw in
                pread(fd, raw.baseAddress! + got, count - got, off_t(offset + got))
            }
            if n < 0 {
                let code = errno
                if code == EINTR { continue }
                throw .io(path: path, operation: "read", errno: code)
            }
            if n == 0 { break }
            got += n
        }
        return Array(buffer[0..<got])
    }

    /// The size of an open file.
    static func fileSize(_ fd: Int32, path: String) throws(MemoryError) -> Int {
        var info = stat()
        if fstat(fd, &info) != 0 { throw .io(path: path, operation: "stat", errno: errno) }
        return Int(info.st_size)
    }

    /// Flushes a file's data and metadata to stable storage.
    static func syncFile(_ fd: Int32, path: String) throws(MemoryError) {
        while fsync(fd) != 0 {
            let code = errno
            if code == EINTR { continue }
            throw .io(path: path, operation: "fsync", errno: code)
        }
    }

    /// Shortens an open file to `length` bytes.
    static func truncateFile(_ fd: Int32, to length: Int, path: String) throws(MemoryError) {
        while ftruncate(fd, off_t(length)) != 0 {
            let code = errno
            if code == EINTR { continue }
            throw .io(path: path, operation: "truncate", errno: code)
        }
    }

    /// Renames `source` over `destination` (atomic within one file system).
    static func renameFile(_ source: String, to destination: String) throws(MemoryError) {
        if rename(source, destination) != 0 {
            throw .io(path: source, operation: "rename to \(destination)", errno: errno)
        }
    }

    /// Removes a file; a missing file is not an error.
    static func removeFile(_ path: String) throws(MemoryError) {
        if unlink(path) != 0 && errno != ENOENT {
            throw .io(path: path, operation: "remove", errno: errno)
        }
    }
}
