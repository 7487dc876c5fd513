#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Musl)
@preconcurrency import Musl
#endif

import Phases

/// All terminal output goes through here: stdout for help and data, stderr for people.
enum Console {
    /// Writes to stdout unbuffered; a closed pipe is ignored.
    static func out(_ text: String) { write(1, text) }
    /// Writes to stderr unbuffered.
    static func err(_ text: String) { write(2, text) }

    /// Whether stderr is a terminal.
    static var isStderrTerminal: Bool { isatty(2) == 1 }

    private static func write(_ descriptor: Int32, _ text: String) {
        // A closed pipe or a full disk is not worth failing over for human output.
        try? FileDescriptorSink(descriptor: descriptor).write(line: Array(text.utf8))
    }
}
