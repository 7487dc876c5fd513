#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Musl)
    @preconcurrency import Musl
#endif

extension FileSystem {
    /// What is at a path, without following a final symlink.
    enum Kind: Equatable {
        case missing, directory, file, other
    }

    /// The kind of entry at `path` (symlinks to directories count as directories).
    static func kind(of path: String) throws(MemoryError) -> Kind {
        var info = stat()
        if stat(path, &info) != 0 {
            let code = errno
            if code == ENOENT || code == ENOTDIR { return .missing }
            throw .io(path: path, operation: "stat", errno: code)
        }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: return .directory
        case S_IFREG: return .file
        default: return .other
        }
    }

    /// Creates a directory; returns `false` when it already exists as a directory.
    @discardableResult
    static func makeDirectory(_ path: String) throws(MemoryError) -> Bool {
        if mkdir(path, 0o755) == 0 { return true }
        let code = errno
        if code == EEXIST, try kind(of: path) == .directory { return false }
        throw .io(path: path, operation: "create directory", errno: code)
    }

    /// Creates `path` and any missing parents, syncing each parent that gained an entry.
    static func makeDirectories(_ path: String) throws(MemoryError) {
        if try kind(of: path) == .directory { return }
        let parent = parentDirectory(of: path)
        if parent != path { try makeDirectories(parent) }
        if try makeDirectory(path) { try syncDirectory(parent) }
    }

    /// The directory containing `path` ("." for a bare name).
    static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }

    /// Flushes a directory so that created, renamed or removed entries survive a crash.
    static func syncDirectory(_ path: String) throws(MemoryError) {
        let fd = try openExistingFile(path, O_RDONLY | O_DIRECTORY)
        defer { closeFile(fd) }
        try syncFile(fd, path: path)
    }

    /// Entry names in a directory, sorted, without `.` and `..`; empty when the directory is missing.
    static func listDirectory(_ path: String) throws(MemoryError) -> [String] {
        guard let dir = opendir(path) else {
            let code = errno
            if code == ENOENT { return [] }
            throw .io(path: path, operation: "list", errno: code)
        }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// Removes a file or a directory tree; a missing path is not an error. Symlinks are removed, not followed.
    static func removeTree(_ path: String) throws(MemoryError) {
        var info = stat()
        if lstat(path, &info) != 0 {
            if errno == ENOENT { return }
            throw .io(path: path, operation: "stat", errno: errno)
        }
        if info.st_mode & S_IFMT == S_IFDIR {
            for name in try listDirectory(path) { try removeTree(path + "/" + name) }
            if rmdir(path) != 0 && errno != ENOENT { throw .io(path: path, operation: "remove", errno: errno) }
        } else {
            try removeFile(path)
        }
    }

    /// A name that will not collide with concurrent writers: `<prefix>.<16 hex digits>`.
    static func uniqueName(_ prefix: String) -> String {
        let random = UInt64.random(in: 0...UInt64.max)
        let hex = String(random, radix: 16)
        return prefix + "." + String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// Replaces `path` atomically: write a temporary file in the same directory, fsync it, rename it over
    /// `path`, fsync the directory. On any failure the temporary file is removed and `path` is untouched.
    ///
    /// - Parameter beforeRename: called after the temporary file is durable and before the rename (a test seam).
    static func writeAtomically(
        _ path: String, _ bytes: [UInt8], beforeRename: (String) throws -> Void = { _ in }
    ) throws {
        let directory = parentDirectory(of: path)
        let name = path[path.index(after: path.lastIndex(of: "/") ?? path.startIndex)...]
        let temporary = directory + "/" + uniqueName("." + name + ".tmp")
        let fd = try openExistingFile(temporary, O_WRONLY | O_CREAT | O_EXCL, mode: 0o644)
        do {
            defer { closeFile(fd) }
            try writeAll(fd, bytes, path: temporary)
            try syncFile(fd, path: temporary)
            try beforeRename(temporary)
            try renameFile(temporary, to: path)
        } catch {
            try? removeFile(temporary)
            throw error
        }
        try syncDirectory(directory)
    }
}
