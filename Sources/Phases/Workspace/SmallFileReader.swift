#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Reads small text files (ignore files, manifests, entry-point candidates) straight through the C library.
enum SmallFileReader {
    /// Reads a whole file opened relative to a directory descriptor, without following a final symlink.
    ///
    /// - Returns: the bytes, or `nil` if the file cannot be opened, is not a regular file, or exceeds `limit`.
    static func contents(directoryFD: Int32, name: UnsafePointer<CChar>, limit: Int = 1 << 20) -> [UInt8]? {
        let fd = openat(directoryFD, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        if fd < 0 { return nil }
        defer { close(fd) }
        return contents(fd: fd, limit: limit)
    }

    /// Reads a whole file by path (following symlinks).
    static func contents(path: String, limit: Int = 1 << 20) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { return nil }
        defer { close(fd) }
        return contents(fd: fd, limit: limit)
    }

    /// Reads a file by path and decodes it as UTF-8 (invalid sequences are replaced).
    static func text(path: String, limit: Int = 1 << 20) -> String? {
        contents(path: path, limit: limit).map { String(decoding: $0, as: UTF8.self) }
    }

    private static func contents(fd: Int32, limit: Int) -> [UInt8]? {
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, Int(info.st_size) <= limit else {
            return nil
        }
        let expected = Int(info.st_size)
        var bytes = [UInt8](repeating: 0, count: expected)
        var filled = 0
        while filled < expected {
            let count = bytes.withUnsafeMutableBytes { buffer in
                read(fd, buffer.baseAddress! + filled, expected - filled)
            }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            filled += count
        }
        if filled < expected { bytes.removeLast(expected - filled) }
        return bytes
    }
}
