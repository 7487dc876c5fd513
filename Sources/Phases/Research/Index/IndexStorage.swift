#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Immutable memory holding index blocks: a worker's arena from a build, or the mapped cache file (both mapped).
///
/// Views into the memory (``IndexBlock``, ``TermHashList``…) retain their storage, so it lives as long as any of them.
final class IndexStorage: @unchecked Sendable {
    // @unchecked: the memory is never written after init and is released only in deinit.
    /// Start of the memory (8-byte aligned).
    let base: UnsafeRawPointer
    /// Size in bytes.
    let count: Int
    /// Size of the mapping (at least ``count``).
    private let mapped: Int

    private init(base: UnsafeRawPointer, count: Int, mapped: Int) {
        self.base = base
        self.count = count
        self.mapped = mapped
    }

    deinit {
        munmap(UnsafeMutableRawPointer(mutating: base), mapped)
    }

    /// Takes ownership of `arena`'s bytes.
    static func adopting(_ arena: inout ByteArena) -> IndexStorage {
        let (base, count, mapped) = arena.release()
        return IndexStorage(base: UnsafeRawPointer(base), count: count, mapped: mapped)
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
        return IndexStorage(base: UnsafeRawPointer(p), count: size, mapped: size)
    }
}

/// A growable, page-aligned byte buffer that index blocks are written into.
///
/// Anonymous memory mapped in whole 2 MiB units and advised for transparent huge pages, so filling tens of MiB of
/// blocks costs a few hundred page faults instead of thousands; it grows by mapping a larger region and copying.
struct ByteArena {
    private(set) var base: UnsafeMutableRawPointer
    private(set) var count = 0
    private var capacity: Int

    private static let unit = 2 << 20

    init(capacity: Int = 1 << 20) {
        self.capacity = ByteArena.rounded(max(capacity, 64))
        base = ByteArena.map(self.capacity)
    }

    private static func rounded(_ n: Int) -> Int { (n + unit - 1) / unit * unit }

    private static func map(_ size: Int) -> UnsafeMutableRawPointer {
        guard let p = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0),
            p != MAP_FAILED
        else { fatalError("ByteArena: cannot map \(size) bytes") }
        #if os(Linux)
        _ = madvise(p, size, MADV_HUGEPAGE)  // a hint: failing is fine
        #endif
        return p
    }

    /// Makes room for `n` more bytes and returns a pointer to them (valid until the next reservation).
    mutating func reserve(_ n: Int) -> UnsafeMutableRawPointer {
        if count + n + 8 > capacity {
            var size = capacity
            while count + n + 8 > size { size *= 2 }
            let p = ByteArena.map(size)
            p.copyMemory(from: base, byteCount: count)
            munmap(base, capacity)
            base = p
            capacity = size
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

    /// Hands the mapping (its start, used bytes and mapped size; the caller must `munmap` it) to the caller and
    /// leaves the arena empty.
    mutating func release() -> (base: UnsafeMutableRawPointer, count: Int, mapped: Int) {
        let out = (base, count, capacity)
        capacity = ByteArena.unit
        base = ByteArena.map(capacity)
        count = 0
        return out
    }

    /// Unmaps the memory.
    func deallocate() { munmap(base, capacity) }
}
