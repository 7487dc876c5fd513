#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Musl)
@preconcurrency import Musl
#endif

/// Everything a run needs, validated before the run starts.
public struct RunConfiguration: Sendable {
    /// The task.
    public var task: TaskInput
    /// Absolute, symlink-resolved workspace root.
    public var workspace: String
    /// Absolute memory directory.
    public var memoryDirectory: String
    /// The session records are written to.
    public var session: String
    /// Stop after research.
    public var isResearchOnly: Bool
    /// Related files to record.
    public var maxRelatedFiles = 10
    /// Key snippets to record.
    public var maxSnippets = 5
    /// raaid's version, for `run.started`.
    public var version: String
    /// Turn, cost, token and time limits.
    public var limits = RunLimits()
    /// The model, when one is configured; nil runs research on the built-in engine only.
    public var model: ModelRunOptions?
    /// The run this one continues (`--resume`): its plan is reused and its done tasks are skipped.
    public var resumedFrom: String?

    /// Creates a configuration.
    public init(
        task: TaskInput, workspace: String, memoryDirectory: String, session: String, isResearchOnly: Bool,
        version: String
    ) {
        self.task = task
        self.workspace = workspace
        self.memoryDirectory = memoryDirectory
        self.session = session
        self.isResearchOnly = isResearchOnly
        self.version = version
    }

    /// The phases this run intends to execute.
    public var phases: [PhaseName] {
        if isResearchOnly { return [.research] }
        if model?.isPlanOnly == true { return [.research, .planning] }
        return PhaseName.allCases
    }

    /// Resolves and checks a workspace path: it must exist and be a directory.
    /// - Throws: ``RunError`` `workspace_not_found` or `workspace_not_directory` (usage, exit 2).
    public static func resolveWorkspace(_ path: String) throws(RunError) -> String {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let reason = String(cString: strerror(errno))
            throw RunError(
                code: "workspace_not_found",
                message: "workspace '\(path)' cannot be used (\(reason)); pass an existing directory with --workspace",
                reason: .usageError)
        }
        guard (info.st_mode & S_IFMT) == S_IFDIR else {
            throw RunError(
                code: "workspace_not_directory",
                message: "workspace '\(path)' is not a directory; pass the project's root directory with --workspace",
                reason: .usageError)
        }
        guard let resolved = realpath(path, nil) else { return absolute(path) }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// `path` made absolute against the current directory (no symlink resolution).
    public static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return normalize(path) }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { return path }
        let cwd = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return normalize(cwd + "/" + path)
    }

    /// Removes `.` segments, resolves `..` lexically and collapses slashes.
    static func normalize(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            if part == "." { continue }
            if part == ".." { _ = parts.popLast(); continue }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// A new run id: sortable time prefix plus randomness, e.g. `20261122T014500Z-3f9a1c`.
    public static func makeRunID() -> String {
        let random = (0..<6).map { _ in String(Int.random(in: 0..<16), radix: 16) }.joined()
        return Timestamp.compactNow() + "-" + random
    }
}
