/// One regular file found by ``WorkspaceWalker``.
public struct WorkspaceFile: Sendable, Hashable {
    /// Path relative to the walk root, `/`-separated, without a leading `./`.
    public var path: String
    /// Size in bytes.
    public var size: Int64
    /// Last modification time in nanoseconds since the Unix epoch (`st_mtim`).
    public var modificationTime: Int64
    /// Inode number, useful with `modificationTime` and `size` as a cheap change key.
    public var inode: UInt64

    /// Creates a file record.
    public init(path: String, size: Int64, modificationTime: Int64, inode: UInt64) {
        self.path = path
        self.size = size
        self.modificationTime = modificationTime
        self.inode = inode
    }
}
