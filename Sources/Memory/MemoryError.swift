#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Musl)
    @preconcurrency import Musl
#endif

/// Why the memory store could not do what was asked.
///
/// Each ``description`` says what was wrong, where, and what the user can do about it.
public enum MemoryError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The memory directory path names something that is not a directory.
    case notADirectory(path: String)
    /// The memory directory (or its `format.json`) does not exist and the store was opened with `create: false`.
    case notFound(path: String)
    /// The memory directory exists but raaid cannot write to it.
    case notWritable(path: String, reason: String)
    /// `format.json` declares a version this raaid does not read.
    case unsupportedFormatVersion(path: String, found: Int, supported: Int)
    /// `format.json` exists but is not a raaid memory format file.
    case invalidFormatFile(path: String, reason: String)
    /// A system call failed.
    case io(path: String, operation: String, errno: Int32)
    /// A session name that is not `[A-Za-z0-9._-]{1,128}` or starts with `.`.
    case invalidSessionName(String)
    /// A run name that is not `[A-Za-z0-9._-]{1,128}` or starts with `.`.
    case invalidRunName(String)
    /// No directory for this run under `runs/`.
    case noSuchRun(String)
    /// A JSON value that is not a valid memory record.
    case invalidRecord(String)
    /// A `run.json` that is not valid JSON.
    case invalidRunState(path: String, reason: String)

    /// A user-facing explanation with the path involved and the remedy.
    public var description: String {
        switch self {
        case .notADirectory(let path):
            return "memory directory \(path) is not a directory; move that file aside or pass --memory-dir "
                + "to use another directory"
        case .notFound(let path):
            return "memory directory \(path) does not exist or holds no format.json; run a task first to create it, "
                + "or pass --memory-dir to point at an existing memory directory"
        case .notWritable(let path, let reason):
            return "memory directory \(path) is not writable (\(reason)); fix its permissions or pass --memory-dir "
                + "to use another directory"
        case .unsupportedFormatVersion(let path, let found, let supported):
            return "memory directory \(path) has format version \(found), but this raaid reads version "
                + "\(supported); upgrade raaid or pass --memory-dir to use another directory"
        case .invalidFormatFile(let path, let reason):
            return "\(path) is not a raaid memory format file (\(reason)); restore it, move the directory aside, "
                + "or pass --memory-dir to use another directory"
        case .io(let path, let operation, let code):
            return "could not \(operation) \(path): \(Self.message(for: code)) (errno \(code)); "
                + "check free space and permissions, then retry"
        case .invalidSessionName(let name):
            return "invalid session name \"\(name)\": use 1 to 128 characters from A-Z a-z 0-9 . _ - "
                + "that do not start with '.'"
        case .invalidRunName(let name):
            return "invalid run name \"\(name)\": use 1 to 128 characters from A-Z a-z 0-9 . _ - "
                + "that do not start with '.'"
        case .noSuchRun(let run):
            return "no run \"\(run)\" in the memory directory; check the run id (each run has a directory "
                + "under runs/)"
        case .invalidRecord(let reason):
            return "invalid memory record: \(reason)"
        case .invalidRunState(let path, let reason):
            return "\(path) is not valid JSON (\(reason)); remove it, it is rewritten on the run's next state change"
        }
    }

    private static func message(for code: Int32) -> String {
        guard let text = strerror(code) else { return "unknown error" }
        return String(cString: text)
    }
}
