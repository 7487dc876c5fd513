#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Musl)
@preconcurrency import Musl
#endif
import Memory
import Synchronization

/// Somewhere serialized event lines go (stdout, the run's event log, a test buffer).
public protocol EventSink: Sendable {
    /// Writes one complete line, newline included.
    func write(line: [UInt8]) throws
}

/// Why a sink stopped accepting lines.
public enum EventSinkError: Error, Sendable, Equatable {
    /// The reader went away (EPIPE): `raaid run … | head -1`.
    case closed
    /// Another write error, with errno.
    case failed(errno: Int32)
}

/// Writes lines to a file descriptor with a single write loop per line, so each line leaves unbuffered.
public struct FileDescriptorSink: EventSink {
    private let descriptor: Int32

    /// A sink on `descriptor` (1 for stdout). SIGPIPE must be ignored by the process.
    public init(descriptor: Int32) { self.descriptor = descriptor }

    public func write(line: [UInt8]) throws {
        try line.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = systemWrite(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if written >= 0 {
                    offset += written
                    continue
                }
                let code = errno
                if code == EINTR || code == EAGAIN { continue }
                if code == EPIPE { throw EventSinkError.closed }
                throw EventSinkError.failed(errno: code)
            }
        }
    }
}

/// Appends lines to a run's `events.ndjson` in the memory directory.
public struct EventLogSink: EventSink {
    private let log: EventLog

    /// A sink on an open event log.
    public init(log: EventLog) { self.log = log }

    public func write(line: [UInt8]) throws { try log.append(line: line) }
}

/// Keeps every line in memory; for tests and for serve's live fan-out.
public final class BufferSink: EventSink {
    private let storage = Mutex<[[UInt8]]>([])

    /// An empty buffer.
    public init() {}

    public func write(line: [UInt8]) throws { storage.withLock { $0.append(line) } }

    /// The lines written so far, without their newlines.
    public var lines: [String] {
        storage.withLock { $0.map { String(decoding: $0.dropLast(), as: UTF8.self) } }
    }
}

#if canImport(Glibc)
private let systemWrite = Glibc.write
#elseif canImport(Musl)
private let systemWrite = Musl.write
#endif
