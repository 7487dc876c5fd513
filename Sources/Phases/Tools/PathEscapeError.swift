/// A path that would leave the workspace, or that may not be touched; the call is refused, nothing runs.
public struct PathEscapeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Why the path was refused.
    public enum Reason: String, Sendable {
        /// `..` climbs above the workspace root.
        case parentTraversal = "parent_traversal"
        /// An absolute path outside the workspace.
        case absoluteOutside = "absolute_outside"
        /// A symbolic link (possibly dangling) whose target lies outside the workspace.
        case symlinkOutside = "symlink_outside"
        /// Too many symbolic links, or a loop.
        case symlinkLoop = "symlink_loop"
        /// An empty path or one containing a NUL byte.
        case invalid
        /// Inside the workspace but protected from writes (`.git`, the memory directory).
        case protected
    }

    /// The path as the model gave it.
    public var path: String
    /// Why it was refused.
    public var reason: Reason

    /// Creates an error.
    public init(path: String, reason: Reason) {
        self.path = path
        self.reason = reason
    }

    public var description: String {
        switch reason {
        case .parentTraversal:
            return "path '\(path)' escapes the workspace through '..'; use a path inside the workspace"
        case .absoluteOutside:
            return "path '\(path)' is outside the workspace; use a path relative to the workspace root"
        case .symlinkOutside:
            return "path '\(path)' goes through a symbolic link that points outside the workspace; refused"
        case .symlinkLoop:
            return "path '\(path)' has too many levels of symbolic links; refused"
        case .invalid:
            return "path '\(path)' is not a valid path (empty or contains a NUL byte)"
        case .protected:
            return "path '\(path)' is protected (version-control or raaid memory data); it may not be written"
        }
    }
}
