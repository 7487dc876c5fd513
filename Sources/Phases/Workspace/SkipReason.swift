/// Why the walker left a path out of ``WalkResult/files``; the raw values are the keys of ``WalkResult/skipped``.
enum SkipReason: Int, CaseIterable, Sendable {
    /// Matched a gitignore-syntax rule, or listed in ``WalkOptions/excludedPaths``.
    case ignored
    /// Larger than ``WalkOptions/maxFileSize``.
    case tooLarge
    /// Has an extension from ``BinaryExtensions``.
    case binaryExtension
    /// A symbolic link that is not followed (or leaves the root, or loops).
    case symlink
    /// Could not be opened or stat'ed, or its name is not valid UTF-8.
    case unreadable
    /// A `.git`, `.hg` or `.svn` directory.
    case vcs

    var key: String {
        switch self {
        case .ignored: "ignored"
        case .tooLarge: "too_large"
        case .binaryExtension: "binary_extension"
        case .symlink: "symlink"
        case .unreadable: "unreadable"
        case .vcs: "vcs"
        }
    }
}
