@testable import Memory

#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Musl)
    @preconcurrency import Musl
#endif

/// Test helpers for raw file access.
enum RawFile {
    static func read(_ path: String) throws -> [UInt8] {
        try FileSystem.readFile(path) ?? []
    }

    static func write(_ path: String, _ bytes: [UInt8], append: Bool = false) throws {
        let flags = O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC)
        let fd = try FileSystem.openExistingFile(path, flags)
        defer { FileSystem.closeFile(fd) }
        try FileSystem.writeAll(fd, bytes, path: path)
    }

    static func text(_ path: String) throws -> String {
        String(decoding: try read(path), as: UTF8.self)
    }

    /// Every entry below `path` with its contents (directories as `/`), for "nothing changed" checks.
    static func snapshot(_ path: String) throws -> [String: [UInt8]] {
        var result: [String: [UInt8]] = [:]
        for name in try FileSystem.listDirectory(path) {
            let full = path + "/" + name
            if try FileSystem.kind(of: full) == .directory {
                result[name + "/"] = []
                for (key, value) in try snapshot(full) { result[name + "/" + key] = value }
            } else {
                result[name] = try read(full)
            }
        }
        return result
    }
}
