#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Musl)
    @preconcurrency import Musl
#endif

/// File reads and writes for the tools, straight through the C library (EINTR retried, close-on-exec).
enum FileIO {
    /// The kind of an existing path, following symlinks.
    enum Kind { case file, directory, other }

    /// The kind and size of `path`, or `nil` when it does not exist.
    static func kind(_ path: String) -> (kind: Kind, size: Int)? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return (.file, Int(info.st_size))
        case S_IFDIR: return (.directory, Int(info.st_size))
        default: return (.other, Int(info.st_size))
        }
    }

    /// Reads a whole regular file of at most `limit` bytes.
    ///
    /// - Throws: ``ToolError`` `not_found`, `not_a_file`, `too_large` or `io_error`, with `display` as the path.
    static func readFile(_ path: String, display: String, tool: String, limit: Int) throws(ToolError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            let code = errno
            if code == ENOENT { throw .notFound(tool, display) }
            throw .io(tool, "open", path: display, errno: code)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .io(tool, "stat", path: display, errno: errno) }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            let what = (info.st_mode & S_IFMT) == S_IFDIR ? "a directory" : "not a regular file"
            throw ToolError(code: "not_a_file", message: "\(tool): '\(display)' is \(what)")
        }
        let size = Int(info.st_size)
        guard size <= limit else {
            throw ToolError(
                code: "too_large",
                message: "\(tool): '\(display)' is \(size) bytes, more than the \(limit)-byte limit")
        }
        var bytes = [UInt8](repeating: 0, count: size)
        var filled = 0
        while filled < size {
            let count = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, size - filled) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .io(tool, "read", path: display, errno: errno)
            }
            if count == 0 { break }
            filled += count
        }
        if filled < size { bytes.removeLast(size - filled) }
        return bytes
    }

    /// Creates the missing directories of `absolute` (which must already be resolved inside the workspace).
    static func makeDirectories(_ absolute: String, display: String, tool: String) throws(ToolError) {
        var prefix = ""
        for component in absolute.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o755) != 0 {
                let code = errno
                if code == EEXIST, kind(prefix)?.kind == .directory { continue }
                if code == EEXIST {
                    throw ToolError(
                        code: "not_a_directory",
                        message: "\(tool): a parent of '\(display)' exists and is not a directory")
                }
                throw .io(tool, "create directory for", path: display, errno: code)
            }
        }
    }

    /// Replaces (or creates) `absolute` atomically: writes a temporary file next to it, then renames it over.
    /// An existing file keeps its permission bits.
    static func writeFile(_ bytes: [UInt8], to absolute: String, display: String, tool: String) throws(ToolError) {
        var mode: mode_t = 0o644
        var info = stat()
        if stat(absolute, &info) == 0 { mode = info.st_mode & 0o7777 }
        let directory = String(absolute[..<(absolute.lastIndex(of: "/") ?? absolute.startIndex)])
        let name = absolute.split(separator: "/").last.map(String.init) ?? "file"
        let temporary = "\(directory)/.\(name).raaid-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        if fd < 0 { throw .io(tool, "write", path: display, errno: errno) }
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, bytes.count - written) }
            if count < 0 {
                if errno == EINTR { continue }
                let code = errno
                close(fd)
                unlink(temporary)
                throw .io(tool, "write", path: display, errno: code)
            }
            written += count
        }
        fchmod(fd, mode)
        close(fd)
        if rename(temporary, absolute) != 0 {
            let code = errno
            unlink(temporary)
            throw .io(tool, "replace", path: display, errno: code)
        }
    }

    /// Whether `bytes` look binary: a NUL byte in the first 8 KiB, or not valid UTF-8.
    static func isBinary(_ bytes: [UInt8]) -> Bool {
        if bytes.prefix(8192).contains(0) { return true }
        return String(validating: bytes, as: UTF8.self) == nil
    }
}
