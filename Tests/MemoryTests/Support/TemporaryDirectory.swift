@testable import Memory

#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Musl)
    @preconcurrency import Musl
#endif

/// A fresh directory from `mkdtemp(3)` under `$TMPDIR`, removed by ``remove()``.
struct TemporaryDirectory {
    let path: String

    init() throws {
        let base = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        var template = Array((base + "/raaid-memory-test-XXXXXX").utf8CString)
        let created = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard created != nil else { throw MemoryError.io(path: base, operation: "mkdtemp", errno: errno) }
        path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    /// `path/relative`.
    func callAsFunction(_ relative: String) -> String { path + "/" + relative }

    /// Removes the tree (making it writable first, for tests that took write permission away).
    func remove() {
        chmod(path, 0o755)
        try? FileSystem.removeTree(path)
    }
}

/// Runs `body` with a fresh temporary directory and removes it afterwards.
func withTemporaryDirectory<T>(_ body: (TemporaryDirectory) throws -> T) throws -> T {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    return try body(directory)
}
