#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Why a workspace could not be walked.
public enum WorkspaceError: Error, CustomStringConvertible, Sendable {
    /// The root does not exist.
    case notFound(path: String)
    /// The root exists but is not a directory.
    case notADirectory(path: String)
    /// The root could not be opened or read.
    case unreadable(path: String, errno: Int32)

    public var description: String {
        switch self {
        case .notFound(let path):
            return "workspace '\(path)' does not exist; pass an existing project directory"
        case .notADirectory(let path):
            return "workspace '\(path)' is not a directory; pass the project directory, not a file inside it"
        case .unreadable(let path, let code):
            let reason = String(cString: strerror(code))
            return "cannot read workspace '\(path)': \(reason) (errno \(code)); check its permissions"
        }
    }
}
