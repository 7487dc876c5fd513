#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

private typealias B = WorkspaceByte

/// Reads the names and `d_type`s of one directory into a name arena.
///
/// `fdopendir` + `readdir` cost an extra `fstat` and two `fcntl` calls per directory, a fifth of a walk's system
/// calls. When the C library exports `getdents64` (glibc 2.30+; looked up with `dlsym` because the Swift Glibc
/// module does not import it), entries are decoded straight from the kernel's buffer instead.
struct DirectoryReader: ~Copyable {
    private typealias GetDents = @convention(c) (Int32, UnsafeMutableRawPointer?, Int) -> Int

    private static let getdents: GetDents? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "getdents64") else { return nil }
        return unsafeBitCast(symbol, to: GetDents.self)
    }()
    private static let bufferSize = 32 * 1024
    private static let direntNameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!

    private let buffer = UnsafeMutableRawPointer.allocate(byteCount: bufferSize, alignment: 8)

    deinit { buffer.deallocate() }

    /// Appends every entry except `.` and `..` to `arena` (NUL-terminated) and calls `add(start, name, type)`.
    ///
    /// - Returns: `false` if the directory could not be read.
    func read(_ fd: Int32, into arena: inout [UInt8], _ add: (Int, UnsafeBufferPointer<UInt8>, UInt8) -> Void) -> Bool {
        guard let getdents = Self.getdents else { return readWithStream(fd, into: &arena, add) }
        while true {
            let count = getdents(fd, buffer, Self.bufferSize)
            if count < 0 && errno == EINTR { continue }
            if count < 0 { return false }
            if count == 0 { return true }
            var offset = 0
            while offset < count {
                // struct linux_dirent64 { u64 d_ino; s64 d_off; u16 d_reclen; u8 d_type; char d_name[]; }
                let record = buffer + offset
                let length = Int(record.loadUnaligned(fromByteOffset: 16, as: UInt16.self))
                let type = record.load(fromByteOffset: 18, as: UInt8.self)
                let name = (record + 19).assumingMemoryBound(to: UInt8.self)
                append(name, type, to: &arena, add)
                offset += length
            }
        }
    }

    private func readWithStream(
        _ fd: Int32, into arena: inout [UInt8], _ add: (Int, UnsafeBufferPointer<UInt8>, UInt8) -> Void
    ) -> Bool {
        let copy = dup(fd)
        guard copy >= 0, let stream = fdopendir(copy) else { return false }
        defer { closedir(stream) }
        while let entry = readdir(stream) {
            let name = (UnsafeRawPointer(entry) + Self.direntNameOffset).assumingMemoryBound(to: UInt8.self)
            append(name, entry.pointee.d_type, to: &arena, add)
        }
        return true
    }

    private func append(
        _ name: UnsafePointer<UInt8>, _ type: UInt8, to arena: inout [UInt8],
        _ add: (Int, UnsafeBufferPointer<UInt8>, UInt8) -> Void
    ) {
        let length = strlen(name)
        if name[0] == B.dot && (length == 1 || (length == 2 && name[1] == B.dot)) { return }
        let start = arena.count
        arena.append(contentsOf: UnsafeBufferPointer(start: name, count: length + 1))  // keep the NUL
        add(start, UnsafeBufferPointer(start: name, count: length), type)
    }
}
