/// A command for ``ProcessRunner``.
public struct ProcessRequest: Sendable {
    /// Absolute path of the program.
    public var executable: String
    /// Arguments after the program name.
    public var arguments: [String]
    /// Working directory.
    public var directory: String
    /// The complete child environment.
    public var environment: [String: String]
    /// Seconds before the process group is stopped.
    public var timeout: Double
    /// Bytes of output kept: about two thirds from the head, the rest from the tail.
    public var outputLimit: Int
    /// Seconds between SIGTERM and SIGKILL.
    public var killGrace: Double

    /// Creates a request.
    public init(
        executable: String, arguments: [String], directory: String, environment: [String: String],
        timeout: Double, outputLimit: Int = 64 * 1024, killGrace: Double = 2
    ) {
        self.executable = executable
        self.arguments = arguments
        self.directory = directory
        self.environment = environment
        self.timeout = timeout
        self.outputLimit = outputLimit
        self.killGrace = killGrace
    }
}

/// How a command ended.
public struct ProcessResult: Sendable, Equatable {
    /// The exit status when the process exited normally.
    public var exitCode: Int32?
    /// The signal that ended it, otherwise.
    public var signal: Int32?
    /// Standard output and standard error, interleaved as written, capped (head and tail kept), decoded as UTF-8.
    public var output: String
    /// Bytes the command wrote in total.
    public var outputBytes: Int
    /// Whether ``output`` lost its middle.
    public var isTruncated: Bool
    /// Whether the timeout stopped it.
    public var timedOut: Bool
    /// Whether cancellation stopped it.
    public var cancelled: Bool
    /// Wall time in milliseconds.
    public var durationMs: Int
    /// The process id, which is also the id of its process group.
    public var processGroup: Int32
}

/// Keeps the head and the tail of a byte stream within a limit.
struct OutputCapture {
    let headLimit: Int
    let tailLimit: Int
    private(set) var head: [UInt8] = []
    private var tail: [UInt8] = []
    private(set) var total = 0

    init(limit: Int) {
        headLimit = max(0, limit * 2 / 3)
        tailLimit = max(0, limit - headLimit)
    }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        total += bytes.count
        var rest = bytes[...]
        if head.count < headLimit {
            let take = min(headLimit - head.count, rest.count)
            head += rest.prefix(take)
            rest = rest.dropFirst(take)
        }
        guard !rest.isEmpty, tailLimit > 0 else { return }
        tail += rest.suffix(tailLimit)
        if tail.count > 2 * tailLimit { tail.removeFirst(tail.count - tailLimit) }
    }

    var isTruncated: Bool { total > head.count + min(tail.count, tailLimit) }

    /// The captured text with a marker where bytes were dropped.
    var text: String {
        let kept = Array(tail.suffix(tailLimit))
        if !isTruncated { return String(decoding: head + kept, as: UTF8.self) }
        let omitted = total - head.count - kept.count
        return String(decoding: head, as: UTF8.self) + "\n… [\(omitted) bytes of output omitted] …\n"
            + String(decoding: kept, as: UTF8.self)
    }
}
