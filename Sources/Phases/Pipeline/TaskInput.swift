#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Musl)
@preconcurrency import Musl
#endif

/// The task text and where it came from, validated: non-empty UTF-8 text of at most 1 MiB.
public struct TaskInput: Sendable, Equatable {
    /// Where the text came from.
    public enum Source: String, Sendable { case file, stdin, message, resume }

    /// Largest task accepted.
    public static let maxBytes = 1 << 20

    /// The task text.
    public var text: String
    /// `file`, `stdin` or `message`.
    public var source: Source
    /// The path as given, for `file`.
    public var path: String?
    /// `sha256:<hex>` of the UTF-8 bytes.
    public var digest: String
    /// Size in bytes.
    public var byteCount: Int

    /// Reads and validates a task file.
    /// - Throws: ``RunError`` with a code such as `task_not_found`, `task_is_directory`, `task_not_utf8`.
    public static func fromFile(_ path: String) throws(RunError) -> TaskInput {
        let origin = "task file '\(path)'"
        var info = stat()
        if stat(path, &info) != 0 {
            let code = errno
            if code == ENOENT || code == ENOTDIR {
                throw RunError(
                    code: "task_not_found",
                    message: "\(origin) does not exist; pass an existing Markdown file, '-' to read standard input, "
                        + "or -m TEXT",
                    reason: .usageError)
            }
            throw unreadable(origin, errno: code)
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            throw RunError(
                code: "task_is_directory",
                message: "task '\(path)' is a directory; pass a task file, for example \(path)/TASK.md",
                reason: .usageError)
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw unreadable(origin, errno: errno) }
        defer { close(descriptor) }
        let bytes = try readAll(descriptor, origin: origin)
        return try make(bytes: bytes, source: .file, path: path, origin: origin)
    }

    /// Reads and validates the task from standard input.
    public static func fromStandardInput() throws(RunError) -> TaskInput {
        let bytes = try readAll(0, origin: "the task on standard input")
        return try make(bytes: bytes, source: .stdin, path: nil, origin: "the task on standard input")
    }

    /// Validates a task given with `-m`.
    public static func fromMessage(_ text: String) throws(RunError) -> TaskInput {
        try make(bytes: Array(text.utf8), source: .message, path: nil, origin: "the task given with --message")
    }

    static func make(bytes: [UInt8], source: Source, path: String?, origin: String) throws(RunError) -> TaskInput {
        if let offset = bytes.firstIndex(of: 0) {
            throw RunError(
                code: "task_not_text",
                message: "\(origin) looks binary (NUL byte at offset \(offset)); a task must be UTF-8 text",
                reason: .usageError)
        }
        if let offset = firstInvalidUTF8Offset(bytes) {
            let byte = String(bytes[offset], radix: 16, uppercase: true)
            throw RunError(
                code: "task_not_utf8",
                message: "\(origin) is not valid UTF-8 (byte 0x\(byte) at offset \(offset)); save it as UTF-8 and retry",
                reason: .usageError)
        }
        let text = String(decoding: bytes, as: UTF8.self)
        if text.allSatisfy({ $0.isWhitespace }) {
            throw RunError(
                code: "task_empty", message: "\(origin) is empty; write what raaid should do", reason: .usageError)
        }
        return TaskInput(
            text: text, source: source, path: path, digest: "sha256:" + SHA256.hexDigest(bytes),
            byteCount: bytes.count)
    }

    private static func readAll(_ descriptor: Int32, origin: String) throws(RunError) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { return bytes }
            if count < 0 {
                if errno == EINTR { continue }
                let code = errno
                if code == EISDIR {
                    throw RunError(
                        code: "task_is_directory", message: "\(origin) is a directory; pass a task file",
                        reason: .usageError)
                }
                throw unreadable(origin, errno: code)
            }
            bytes.append(contentsOf: chunk[0..<count])
            if bytes.count > maxBytes {
                throw RunError(
                    code: "task_too_large",
                    message: "\(origin) is larger than 1 MiB; put the details in files in the workspace and refer to them",
                    reason: .usageError)
            }
        }
    }

    private static func unreadable(_ origin: String, errno code: Int32) -> RunError {
        RunError(
            code: "task_unreadable",
            message: "\(origin) cannot be read (\(String(cString: strerror(code)))); check that it exists and is readable",
            reason: .usageError)
    }

    /// The offset of the first byte that is not part of a valid UTF-8 sequence, or nil.
    static func firstInvalidUTF8Offset(_ bytes: [UInt8]) -> Int? {
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            let length: Int
            var minimum: UInt32 = 0
            var scalar: UInt32
            switch lead {
            case 0x00...0x7F: index += 1; continue
            case 0xC2...0xDF: length = 2; scalar = UInt32(lead & 0x1F); minimum = 0x80
            case 0xE0...0xEF: length = 3; scalar = UInt32(lead & 0x0F); minimum = 0x800
            case 0xF0...0xF4: length = 4; scalar = UInt32(lead & 0x07); minimum = 0x10000
            default: return index
            }
            guard index + length <= bytes.count else { return index }
            for offset in 1..<length {
                let next = bytes[index + offset]
                guard next & 0xC0 == 0x80 else { return index }
                scalar = scalar << 6 | UInt32(next & 0x3F)
            }
            if scalar < minimum || scalar > 0x10FFFF || (0xD800...0xDFFF).contains(scalar) { return index }
            index += length
        }
        return nil
    }
}
