/// What a ``WorkspaceWalker`` found.
public struct WalkResult: Sendable {
    /// Accepted files, sorted by the bytes of their UTF-8 path (the order `git ls-files` uses).
    public var files: [WorkspaceFile]
    /// Skip counts by reason: `"ignored"`, `"too_large"`, `"binary_extension"`, `"symlink"`, `"unreadable"`, `"vcs"`.
    ///
    /// An ignored or VCS directory counts once; its contents are never read. Reasons with a zero count are absent.
    public var skipped: [String: Int]
    /// Number of directories read, including the root.
    public var directoriesVisited: Int

    /// Creates a result.
    public init(files: [WorkspaceFile], skipped: [String: Int], directoriesVisited: Int) {
        self.files = files
        self.skipped = skipped
        self.directoriesVisited = directoriesVisited
    }
}
