#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Musl)
@preconcurrency import Musl
#endif

/// All terminal output goes through here: stdout for help and data, stderr for people.
enum Console {
    /// Writes to stdout unbuffered; a closed pipe is ignored.
    static func out(_ text: String) { write(1, text) }
    /// Writes to stderr unbuffered.
    static func err(_ text: String) { write(2, text) }

    /// Whether stderr is a terminal.
    static var isStderrTerminal: Bool { isatty(2) == 1 }

    private static func write(_ descriptor: Int32, _ text: String) {
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = systemWrite(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0 && (errno == EINTR || errno == EAGAIN) {
                    continue
                } else {
                    return
                }
            }
        }
    }
}

#if canImport(Glibc)
private let systemWrite = Glibc.write
#elseif canImport(Musl)
private let systemWrite = Musl.write
#endif
