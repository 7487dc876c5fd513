#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Immutable memory holding index blocks: a worker's arena from a build, or the mapped cache file.
///
/// Views into the memory (``IndexBlock``, ``TermHashList``…) retain their storage, so it lives as long as any of them.
final class IndexStorage: @unchecked Sendable {
    // @unchecked: the memory is never written after init and is released only in deinit.
    /// Start of the memory (8-byte aligned).
    let base: UnsafeRawPointer
    /// Size in bytes.
    let count: Int
    private let isMapped: Bool

    private init(base: UnsafeRawPointer, count: Int, isMapped: Bool) {
        self.base = base
        self.count = count
        self.isMapped = isMapped
    }

    deinit {
        if isMapped {
            munmap(UnsafeMutableRawPointer(mutating: base), count)
        } else {
            free(UnsafeMutableRawPointer(mutating: base))
        }
    }

    /// Takes ownership of `arena`'s bytes.
    static func adopting(_ arena: inout ByteArena) -> IndexStorage {
        let (base, count) = arena.release()
        return IndexStorage(base: UnsafeRawPointer(base), count: count, isMapped: false)
    }

    /// Maps the file at `path` read-only; `nil` when it is missing or empty.
    static func mapping(_ path: String) -> IndexStorage? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_size > 0 else { return nil }
        let size = Int(st.st_size)
        guard let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else { return nil }
        return IndexStorage(base: UnsafeRawPointer(p), count: size, isMapped: true)
    }
}

/// A growable, 8-byte aligned byte buffer that index blocks are written into.
struct ByteArena {
    private(set) var base: UnsafeMutableRawPointer
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int = 1 << 20) {
        self.capacity = max(capacity, 64)
        base = malloc(self.capacity)!
    }

    /// Makes room for `n` more bytes and returns a pointer to them (valid until the next reservation).
    mutating func reserve(_ n: Int) -> UnsafeMutableRawPointer {
        if count + n + 8 > capacity {
            while count + n + 8 > capacity { capacity *= 2 }
            base = realloc(base, capacity)!
        }
        return base + count
    }

    /// Commits `n` bytes written after ``reserve(_:)``, padding to a multiple of 8 with zeros.
    mutating func commit(_ n: Int) {
        var end = count + n
        while end & 7 != 0 {
            base.storeBytes(of: 0, toByteOffset: end, as: UInt8.self)
            end += 1
        }
        count = end
    }

    /// Hands the memory to the caller (who must `free` it) and leaves the arena empty.
    mutating func release() -> (UnsafeMutableRawPointer, Int) {
        let out = (base, count)
        capacity = 64
        base = malloc(capacity)!
        count = 0
        return out
    }

    /// Frees the memory.
    func deallocate() { free(base) }
}
