#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

private typealias B = WorkspaceByte

/// The depth-first traversal behind ``WorkspaceWalker``; one instance per walk, used from one thread.
///
/// Each directory is read completely, its entries are sorted by name (directories as if they ended in `/`), and
/// then files are emitted and subdirectories recursed into in that order. That makes the output sorted by full
/// path bytes without a global sort.
final class DirectoryScanner {
    struct Entry {
        var start: Int
        var length: Int
        /// `d_type`, resolved by ``resolveTypes`` to `DT_DIR`, `DT_REG`, `DT_LNK`, another type, or one of the
        /// `linked…` markers for followed symlinks.
        var type: UInt8
    }

    let root: String
    let options: WalkOptions
    private let progress: (@Sendable (Int) -> Void)?
    private let shouldCancel: @Sendable () -> Bool
    private let ignoreFileNames: [[UInt8]]
    let excludedPaths: Set<[UInt8]>
    let excludedNames: Set<[UInt8]>
    private static let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!

    var files: [WorkspaceFile] = []
    var skipCounts = [Int](repeating: 0, count: SkipReason.allCases.count)
    private var directoriesVisited = 0
    private var lastReported = 0
    /// The root-relative path of the entry being looked at; directory prefixes end in `/`.
    var path: [UInt8] = []
    /// `(st_dev, st_ino)` of every directory entered, only tracked when following symlinks.
    var visited: Set<[UInt64]> = []

    init(
        root: String, options: WalkOptions, progress: (@Sendable (Int) -> Void)?,
        shouldCancel: @escaping @Sendable () -> Bool
    ) {
        self.root = root
        self.options = options
        self.progress = progress
        self.shouldCancel = shouldCancel
        ignoreFileNames = [Array(".gitignore".utf8)] + options.extraIgnoreFileNames.map { Array($0.utf8) }
        let excluded = options.excludedPaths.compactMap { Self.normalize($0, root: root) }
        excludedPaths = Set(excluded)
        excludedNames = Set(excluded.map { Array($0.split(separator: B.slash).last ?? []) })
        path.reserveCapacity(4096)
        files.reserveCapacity(4096)
    }

    func result() -> WalkResult {
        var skipped: [String: Int] = [:]
        for reason in SkipReason.allCases where skipCounts[reason.rawValue] > 0 {
            skipped[reason.key] = skipCounts[reason.rawValue]
        }
        return WalkResult(files: files, skipped: skipped, directoriesVisited: directoriesVisited)
    }

    func markVisited(_ info: stat) {
        visited.insert([UInt64(info.st_dev), UInt64(info.st_ino)])
    }

    /// Reads the directory open at `directoryFD` (taking ownership of the descriptor), whose root-relative
    /// prefix is the current `path`.
    func scan(directoryFD fd: Int32, rules inherited: IgnoreRules?) throws {
        if shouldCancel() {
            close(fd)
            throw CancellationError()
        }
        guard let stream = fdopendir(fd) else {
            close(fd)
            count(.unreadable)
            return
        }
        defer { closedir(stream) }
        directoriesVisited += 1
        let directoryFD = dirfd(stream)

        var arena: [UInt8] = []
        var entries: [Entry] = []
        var ignoreFiles: [Int?] = Array(repeating: nil, count: ignoreFileNames.count)
        readEntries(stream, into: &arena, &entries, ignoreFiles: &ignoreFiles)

        var rules = inherited
        var patterns: [IgnorePattern] = []
        for case let index? in ignoreFiles {
            let content = arena.withUnsafeBufferPointer { buffer in
                (buffer.baseAddress! + entries[index].start).withMemoryRebound(to: CChar.self, capacity: 1) {
                    SmallFileReader.contents(directoryFD: directoryFD, name: $0)
                }
            }
            if let content { patterns += IgnoreRules.parse(content) }
        }
        if !patterns.isEmpty { rules = IgnoreRules(parent: inherited, baseLength: path.count, patterns: patterns) }

        resolveTypes(directoryFD, arena, &entries)
        arena.withUnsafeBufferPointer { names in
            entries.sort { Self.precedes($0, $1, names) }
        }
        try arena.withUnsafeBufferPointer { names in
            for entry in entries {
                try visit(entry, names: names, directoryFD: directoryFD, rules: rules)
            }
        }
        if files.count - lastReported >= 1024, let progress {
            lastReported = files.count
            progress(files.count)
        }
    }

    private func readEntries(
        _ stream: OpaquePointer, into arena: inout [UInt8], _ entries: inout [Entry], ignoreFiles: inout [Int?]
    ) {
        while let entry = readdir(stream) {
            let name = (UnsafeRawPointer(entry) + Self.nameOffset).assumingMemoryBound(to: UInt8.self)
            let length = strlen(name)
            if name[0] == B.dot && (length == 1 || (length == 2 && name[1] == B.dot)) { continue }
            let bytes = UnsafeBufferPointer(start: name, count: length)
            if name[0] == B.dot || !ignoreFileNames.allSatisfy({ $0.first == B.dot }) {
                for (slot, ignoreName) in ignoreFileNames.enumerated() where ignoreName.elementsEqual(bytes) {
                    ignoreFiles[slot] = entries.count
                }
            }
            entries.append(Entry(start: arena.count, length: length, type: entry.pointee.d_type))
            arena.append(contentsOf: UnsafeBufferPointer(start: name, count: length + 1))  // keep the NUL
        }
    }
}
