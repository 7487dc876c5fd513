import Synchronization

#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Musl)
    @preconcurrency import Musl
#endif

/// raaid's memory: records, run logs and run state in one directory of plain files.
///
/// ## On-disk format (version 1)
/// ```
/// <memory dir>/                      default .raaid in the workspace (--memory-dir to move it)
///   format.json                      {"format":"raaid-memory","version":1}, created on first open
///   lock                             flock(2) target: exclusive for writes, shared for reads
///   global/records.jsonl             promoted records (scope "global")
///   sessions/<session>/records.jsonl records a session wrote (scope "session")
///   runs/<run>/events.ndjson         event log of a run: the lines exactly as written to stdout
///   runs/<run>/run.json              latest state of the run (written to a temp file, fsynced, renamed)
///   cache/                           free for other modules (for example the research index cache)
///   quarantine/                      torn tails moved aside, never deleted:
///                                    <file path with / as .>.<YYYYMMDDTHHMMSSmmmZ>.torn
/// ```
/// Each record is one JSON line (JSON Lines: UTF-8, `\n`-terminated, readable with jq), keys in this order:
/// ```
/// {"v":1,"id":"01JD3Z…","kind":"fact","time":"2026-11-22T01:02:03.456Z","run":"…"|null,"session":"…",
///  "phase":"research"|null,"scope":"global"|"session","data":{…}}
/// ```
/// - `id` is a ULID (26 characters of Crockford base32, sortable by creation time). Appending a line with an
///   existing id revises that record: within a file the later line wins; between global and a session the
///   later `time` wins, and on a tie the global copy is kept.
/// - `kind` is one of ``MemoryKind/all`` or a kind from a later release (kept, never an error).
/// - Session and run names match `[A-Za-z0-9._-]{1,128}` and do not start with `.`.
///
/// ## Guarantees
/// - Files are append-only. Every append is one `write` of whole lines followed by `fsync` (and an fsync of
///   the directory when the file is new). Compaction and `run.json` writes are atomic (temp file, fsync,
///   rename, directory fsync).
/// - Several processes may share a directory: writers take an exclusive `flock` on `lock`, readers a shared one.
/// - A torn last line (no trailing `\n`, left by a crash) is skipped with a warning on read; the next write to
///   that file first moves the torn bytes to `quarantine/` (fsynced), truncates them off and reports it through
///   ``onWarning``.
/// - A corrupted line elsewhere is reported with file and line number and skipped on read; it is never
///   removed or rewritten (compaction keeps it verbatim).
///
/// All methods do blocking file I/O on the calling thread; call them off the cooperative pool when that matters.
public final class MemoryStore: Sendable {
    /// The format version this raaid reads and writes.
    public static let formatVersion = 1

    /// The memory directory, as given (without trailing slashes).
    public let directory: String

    struct Hooks {
        var onWarning: (@Sendable (MemoryWarning) -> Void)?
        /// Test seam: runs before a compaction rename, with the temporary file's path.
        var beforeCompactionRename: (@Sendable (String) throws -> Void)?
    }

    let hooks = Mutex(Hooks())

    /// Called with each warning raised by a write: a torn tail moved to quarantine before an append.
    ///
    /// Read-side warnings are returned in ``MemoryReadResult/warnings`` instead. Called on the writing thread
    /// while the store's lock is held, so it must not call back into the store.
    public var onWarning: (@Sendable (MemoryWarning) -> Void)? {
        get { hooks.withLock { $0.onWarning } }
        set { hooks.withLock { $0.onWarning = newValue } }
    }

    /// Opens (and with `create`, creates) a memory directory.
    ///
    /// Checks, before changing anything: the path is a directory (or missing), `format.json` names a supported
    /// version, and the directory is writable (`access(W_OK)`, then by opening or creating `lock` for writing).
    /// Only then are the directory and `format.json` created if missing. A refused directory is left untouched.
    ///
    /// - Parameters:
    ///   - directory: the memory directory, such as `<workspace>/.raaid`.
    ///   - create: whether to create the directory and `format.json` when missing.
    /// - Throws: ``MemoryError/notADirectory(path:)``, ``MemoryError/notFound(path:)``,
    ///   ``MemoryError/unsupportedFormatVersion(path:found:supported:)``,
    ///   ``MemoryError/invalidFormatFile(path:reason:)``, ``MemoryError/notWritable(path:reason:)``.
    public init(directory: String, create: Bool = true) throws(MemoryError) {
        var normalized = directory
        while normalized.count > 1 && normalized.hasSuffix("/") { normalized.removeLast() }
        self.directory = normalized
        try open(create: create)
    }

    private func open(create: Bool) throws(MemoryError) {
        guard !directory.isEmpty else { throw .notADirectory(path: directory) }
        let formatPath = path("format.json")
        switch try FileSystem.kind(of: directory) {
        case .file, .other:
            throw .notADirectory(path: directory)
        case .missing:
            guard create else { throw .notFound(path: directory) }
            try Self.checkCreatable(directory)
            do {
                try FileSystem.makeDirectories(directory)
            } catch {
                throw .notWritable(path: directory, reason: "cannot create it: \(error)")
            }
        case .directory:
            if let bytes = try Self.readFormatFile(formatPath) {
                try Self.validateFormat(bytes, directory: directory, path: formatPath)
            } else if !create {
                throw .notFound(path: directory)
            }
            if access(directory, W_OK) != 0 {
                throw .notWritable(path: directory, reason: String(cString: strerror(errno)))
            }
        }
        do {
            let fd = try FileSystem.openExistingFile(path("lock"), O_RDWR | O_CREAT)
            FileSystem.closeFile(fd)
        } catch {
            throw .notWritable(path: directory, reason: "cannot create its lock file: \(error)")
        }
        do {
            try withLock(exclusive: true) {
                if let bytes = try Self.readFormatFile(formatPath) {
                    try Self.validateFormat(bytes, directory: directory, path: formatPath)
                } else {
                    let format: JSONValue = ["format": "raaid-memory", "version": .int(Int64(Self.formatVersion))]
                    try FileSystem.writeAtomically(formatPath, format.serializedBytes() + [0x0A])
                }
            }
        } catch let error as MemoryError {
            throw error
        } catch {
            throw .invalidFormatFile(path: formatPath, reason: "\(error)")
        }
    }

    /// The nearest existing ancestor of a missing directory must be a writable directory.
    private static func checkCreatable(_ directory: String) throws(MemoryError) {
        var ancestor = FileSystem.parentDirectory(of: directory)
        while try FileSystem.kind(of: ancestor) == .missing && ancestor != "/" && ancestor != "." {
            ancestor = FileSystem.parentDirectory(of: ancestor)
        }
        guard try FileSystem.kind(of: ancestor) == .directory else { throw .notADirectory(path: ancestor) }
        if access(ancestor, W_OK) != 0 {
            throw .notWritable(
                path: directory, reason: "cannot create it in \(ancestor): \(String(cString: strerror(errno)))")
        }
    }

    private static func readFormatFile(_ path: String) throws(MemoryError) -> [UInt8]? {
        switch try FileSystem.kind(of: path) {
        case .missing: return nil
        case .file: return try FileSystem.readFile(path) ?? []
        case .directory, .other: throw .invalidFormatFile(path: path, reason: "not a regular file")
        }
    }

    private static func validateFormat(_ bytes: [UInt8], directory: String, path: String) throws(MemoryError) {
        let value: JSONValue
        do {
            value = try JSONValue.parse(bytes: bytes)
        } catch {
            throw .invalidFormatFile(path: path, reason: error.description)
        }
        guard value["format"]?.stringValue == "raaid-memory" else {
            throw .invalidFormatFile(path: path, reason: "\"format\" is not \"raaid-memory\"")
        }
        guard let version = value["version"]?.intValue else {
            throw .invalidFormatFile(path: path, reason: "\"version\" missing or not an integer")
        }
        guard version == formatVersion else {
            throw .unsupportedFormatVersion(path: directory, found: version, supported: formatVersion)
        }
    }

    /// The absolute (or directory-relative) path of `relative` inside the memory directory.
    func path(_ relative: String) -> String { directory + "/" + relative }

    /// Runs `body` under the store's `flock`: exclusive for writers, shared for readers.
    func withLock<T>(exclusive: Bool, _ body: () throws -> T) throws -> T {
        try FileLock.withLock(path: path("lock"), exclusive: exclusive, body)
    }

    /// Passes a write-side warning to ``onWarning``.
    func report(_ warning: MemoryWarning) {
        hooks.withLock { $0.onWarning }?(warning)
    }

    /// Whether `name` is a valid session or run name: `[A-Za-z0-9._-]{1,128}`, not starting with `.`.
    public static func isValidName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (1...128).contains(bytes.count), bytes[0] != UInt8(ascii: ".") else { return false }
        return bytes.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
                return true
            default:
                return false
            }
        }
    }
}
