#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

private typealias B = WorkspaceByte

extension DirectoryWorker {
    /// Marker types for symlinks that were followed to a directory or a regular file.
    static let linkedDirectory: UInt8 = 0xF4
    static let linkedFile: UInt8 = 0xF8
    private static let directoryType = UInt8(DT_DIR)
    private static let fileType = UInt8(DT_REG)
    private static let linkType = UInt8(DT_LNK)
    private static let vcsNames: [[UInt8]] = [".git", ".hg", ".svn"].map { Array($0.utf8) }

    /// Decides about one entry of the current directory and emits, skips or recurses into it.
    func visit(_ entry: Entry, names: UnsafeBufferPointer<UInt8>, directoryFD: Int32, rules: IgnoreRules?) {
        let prefixLength = path.count
        let name = UnsafeBufferPointer(rebasing: names[entry.start..<(entry.start + entry.length)])
        path.append(contentsOf: name)
        defer { path.removeSubrange(prefixLength...) }
        let cName = UnsafeRawPointer(names.baseAddress! + entry.start).assumingMemoryBound(to: CChar.self)
        let isDirectory = entry.type == Self.directoryType || entry.type == Self.linkedDirectory

        if (isDirectory && Self.vcsNames.contains { $0.elementsEqual(name) }) || name.elementsEqual(Self.vcsNames[0]) {
            return count(.vcs)
        }
        if !excludedPaths.isEmpty && excludedNames.contains(Array(name)) && excludedPaths.contains(path) {
            return count(.ignored)
        }
        if let rules,
            path.withUnsafeBufferPointer({
                rules.isIgnored($0, basenameStart: prefixLength, isDirectory: isDirectory)
            }) == true
        {
            return count(.ignored)
        }
        switch entry.type {
        case Self.directoryType, Self.linkedDirectory:
            let id = makeJobID()
            children.append(
                DirectoryJob(id: id, path: path + [B.slash], rules: rules, isLinked: entry.type == Self.linkedDirectory)
            )
            items.append(.directory(id))
        case Self.fileType, Self.linkedFile:
            if BinaryExtensions.contains(name: name) { return count(.binaryExtension) }
            var info = stat()
            let flags = entry.type == Self.fileType ? AT_SYMLINK_NOFOLLOW : 0
            if fstatat(directoryFD, cName, &info, flags) != 0 { return count(.unreadable) }
            if (info.st_mode & S_IFMT) != S_IFREG { return }
            if Int64(info.st_size) > options.maxFileSize { return count(.tooLarge) }
            guard let string = String(validating: path, as: UTF8.self) else { return count(.unreadable) }
            let nanoseconds = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
            let file = WorkspaceFile(
                path: string, size: Int64(info.st_size), modificationTime: nanoseconds, inode: UInt64(info.st_ino))
            items.append(.file(file))
        case Self.linkType:
            count(.symlink)
        default:
            return  // FIFOs, sockets and devices are not workspace files
        }
    }

    /// Replaces unknown `d_type`s with real ones and, when following symlinks, classifies their targets.
    func resolveTypes(_ directoryFD: Int32, _ names: [UInt8], _ entries: inout [Entry]) {
        let follow = options.followSymlinks
        names.withUnsafeBufferPointer { names in
            for index in entries.indices {
                let type = entries[index].type
                guard type == UInt8(DT_UNKNOWN) || (follow && type == Self.linkType) else { continue }
                let cName = UnsafeRawPointer(names.baseAddress! + entries[index].start)
                    .assumingMemoryBound(to: CChar.self)
                var info = stat()
                if type == UInt8(DT_UNKNOWN) {
                    guard fstatat(directoryFD, cName, &info, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
                    entries[index].type = Self.type(of: info.st_mode)
                }
                guard follow && entries[index].type == Self.linkType else { continue }
                guard fstatat(directoryFD, cName, &info, 0) == 0, isInsideRoot(directoryFD, cName) else { continue }
                switch Self.type(of: info.st_mode) {
                case Self.directoryType: entries[index].type = Self.linkedDirectory
                case Self.fileType: entries[index].type = Self.linkedFile
                default: break
                }
            }
        }
    }

    /// Whether an entry's fully resolved location is the root or below it.
    private func isInsideRoot(_ directoryFD: Int32, _ name: UnsafePointer<CChar>) -> Bool {
        let relative = String(decoding: path, as: UTF8.self) + String(cString: name)
        guard let resolvedRoot = realpath(root, nil) else { return false }
        defer { free(resolvedRoot) }
        guard let resolved = realpath(root + "/" + relative, nil) else { return false }
        defer { free(resolved) }
        let rootString = String(cString: resolvedRoot)
        let target = String(cString: resolved)
        return target == rootString || target.hasPrefix(rootString == "/" ? "/" : rootString + "/")
    }

    private static func type(of mode: mode_t) -> UInt8 {
        switch mode & S_IFMT {
        case S_IFDIR: directoryType
        case S_IFREG: fileType
        case S_IFLNK: linkType
        default: UInt8(DT_UNKNOWN)
        }
    }

    /// Orders entries by name, comparing a directory as if its name ended in `/`.
    static func precedes(_ a: Entry, _ b: Entry, _ names: UnsafeBufferPointer<UInt8>) -> Bool {
        let shared = min(a.length, b.length)
        let order = memcmp(names.baseAddress! + a.start, names.baseAddress! + b.start, shared)
        if order != 0 { return order < 0 }
        func next(_ entry: Entry) -> Int {
            if entry.length > shared { return Int(names[entry.start + shared]) }
            return entry.type == directoryType || entry.type == linkedDirectory ? Int(B.slash) : -1
        }
        return next(a) < next(b)
    }

    /// Turns an excluded path into root-relative bytes: drops `./`, trailing `/` and an absolute root prefix.
    static func normalize(_ excluded: String, root: String) -> [UInt8]? {
        var text = Substring(excluded)
        if text.hasPrefix(root + "/") { text = text.dropFirst(root.count + 1) }
        while text.hasPrefix("./") { text = text.dropFirst(2) }
        while text.hasSuffix("/") { text = text.dropLast() }
        return text.isEmpty || text == "." ? nil : Array(text.utf8)
    }
}
