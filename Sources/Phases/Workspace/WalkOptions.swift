/// Settings for ``WorkspaceWalker``.
public struct WalkOptions: Sendable {
    /// Files larger than this many bytes are skipped and counted as `"too_large"`.
    public var maxFileSize: Int64 = 1 << 20
    /// Whether symbolic links to files and directories are followed.
    ///
    /// When `false` (the default) every symlink is skipped and counted as `"symlink"`. When `true`, a link is
    /// followed only if its resolved target stays inside the root, and each directory is visited at most once.
    public var followSymlinks = false
    /// Extra ignore files, in gitignore syntax, honoured in every directory after that directory's `.gitignore`.
    public var extraIgnoreFileNames = [".raaidignore"]
    /// Root-relative paths (files or directories) that are always skipped, such as the memory directory.
    public var excludedPaths: [String] = []

    /// Creates the default options.
    public init() {}
}
