#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A failed socket system call, or an address that could not be parsed.
public enum SocketError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `call` failed with `errno`.
    case failed(call: String, errno: Int32)
    /// The text is not a numeric IPv4 or IPv6 address.
    case invalidAddress(String)
    /// The socket was closed while an operation was pending.
    case closed

    /// Captures the current `errno` for `call`; use it immediately after the failing call.
    static func makeFailed(_ call: String) -> SocketError {
        .failed(call: call, errno: errno)
    }

    /// The call, the errno name's description from `strerror`, and the number.
    public var description: String {
        switch self {
        case .failed(let call, let code):
            let message = strerror(code).map { String(cString: $0) } ?? "error"
            return "\(call) failed: \(message) (errno \(code))"
        case .invalidAddress(let text):
            return "invalid IP address '\(text)'"
        case .closed:
            return "socket closed"
        }
    }
}
