#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Musl)
    @preconcurrency import Musl
#endif

/// The directory the tools work in, and the one place that turns a model's path into a real one.
///
/// ``resolve(_:)`` walks the path one component at a time the way the kernel would: each existing component is
/// checked with `lstat`, symbolic links are read and their targets spliced in (absolute targets restart from `/`),
/// `..` steps up from the real directory reached so far, and components that do not exist yet are appended as they
/// are. The result is the real location the path names, even through dangling links (the link's target is what a
/// write would create). If that location is not the root or below it, the path is refused with a
/// ``PathEscapeError``: `..` escapes, absolute paths elsewhere, and links pointing out (dangling or not) all fail
/// before anything is read, written or run.
///
/// A path is checked at the moment of the call; a process racing to swap a directory for a link between the check
/// and the use is out of scope (the agent's own commands run only when allowed).
public struct WorkspaceRoot: Sendable, Equatable {
    /// The real, absolute root (symlinks resolved).
    public let path: String
    /// Root-relative paths that writes may not touch (they and everything below them): `.git` and the memory
    /// directory by default.
    public var protectedPaths: [String]

    /// Opens `path` as a workspace root.
    ///
    /// - Parameters:
    ///   - path: an existing directory (absolute, or relative to the current directory).
    ///   - protectedPaths: root-relative paths refused to write tools.
    /// - Throws: ``WorkspaceError`` if it does not exist or is not a directory.
    public init(_ path: String, protectedPaths: [String] = [".git", ".raaid"]) throws(WorkspaceError) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR { throw .notFound(path: path) }
            throw .unreadable(path: path, errno: code)
        }
        guard (info.st_mode & S_IFMT) == S_IFDIR else { throw .notADirectory(path: path) }
        guard let real = realpath(path, nil) else { throw .unreadable(path: path, errno: errno) }
        defer { free(real) }
        self.path = String(cString: real)
        self.protectedPaths = protectedPaths.map { Self.trimSlashes($0) }.filter { !$0.isEmpty && $0 != "." }
    }

    /// Resolves `path` (relative to the root, or absolute) to a location inside the workspace.
    ///
    /// An empty path means the root.
    /// - Throws: ``PathEscapeError`` when the location is outside the root, or the path is invalid or loops.
    public func resolve(_ path: String) throws(PathEscapeError) -> ResolvedPath {
        guard !path.utf8.contains(0) else { throw PathEscapeError(path: path, reason: .invalid) }
        let rootComponents = path.hasPrefix("/") ? [] : Self.components(self.path)
        var current: [Substring] = rootComponents.map { Substring($0) }
        var pending: [Substring] = path.split(separator: "/", omittingEmptySubsequences: true).reversed()
        var missingFrom: Int?
        var linksFollowed = 0
        while let component = pending.popLast() {
            if component == "." { continue }
            if component == ".." {
                _ = current.popLast()
                if let start = missingFrom, current.count <= start { missingFrom = nil }
                continue
            }
            current.append(component)
            if missingFrom != nil { continue }
            let candidate = "/" + current.joined(separator: "/")
            var info = stat()
            guard lstat(candidate, &info) == 0 else {
                missingFrom = current.count - 1
                continue
            }
            guard (info.st_mode & S_IFMT) == S_IFLNK else { continue }
            linksFollowed += 1
            guard linksFollowed <= 40, let target = Self.readLink(candidate) else {
                throw PathEscapeError(path: path, reason: .symlinkLoop)
            }
            current.removeLast()
            if target.hasPrefix("/") { current = [] }
            pending.append(contentsOf: target.split(separator: "/", omittingEmptySubsequences: true).reversed())
        }
        let absolute = "/" + current.joined(separator: "/")
        guard let relative = relativePath(of: absolute) else {
            let reason: PathEscapeError.Reason =
                linksFollowed > 0 ? .symlinkOutside : path.hasPrefix("/") ? .absoluteOutside : .parentTraversal
            throw PathEscapeError(path: path, reason: reason)
        }
        return ResolvedPath(absolute: absolute, relative: relative, exists: missingFrom == nil)
    }

    /// Like ``resolve(_:)``, and also refuses ``protectedPaths`` and the root itself.
    /// - Throws: ``PathEscapeError`` (reason ``PathEscapeError/Reason/protected`` for protected paths).
    public func resolveForWriting(_ path: String) throws(PathEscapeError) -> ResolvedPath {
        let resolved = try resolve(path)
        if resolved.relative == "." { throw PathEscapeError(path: path, reason: .invalid) }
        for protected in protectedPaths
        where resolved.relative == protected || resolved.relative.hasPrefix(protected + "/") {
            throw PathEscapeError(path: path, reason: .protected)
        }
        return resolved
    }

    /// The root-relative form of an absolute real path (`.` for the root), or `nil` when it is outside.
    public func relativePath(of absolute: String) -> String? {
        if absolute == path { return "." }
        if path == "/" { return String(absolute.dropFirst()) }
        guard absolute.hasPrefix(path + "/") else { return nil }
        return String(absolute.dropFirst(path.count + 1))
    }

    private static func components(_ path: String) -> [String] {
        path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    }

    private static func trimSlashes(_ path: String) -> String {
        var text = Substring(path)
        while text.hasPrefix("./") { text = text.dropFirst(2) }
        while text.hasPrefix("/") { text = text.dropFirst() }
        while text.hasSuffix("/") { text = text.dropLast() }
        return String(text)
    }

    private static func readLink(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// A path resolved inside the workspace.
public struct ResolvedPath: Sendable, Equatable {
    /// The real absolute location.
    public var absolute: String
    /// The location relative to the workspace root (`.` for the root); used in outputs and events.
    public var relative: String
    /// Whether it existed when it was resolved.
    public var exists: Bool
}
