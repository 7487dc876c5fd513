#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Memory holding index blocks: a worker's arena from a build, the next cache file being written
/// (``CacheRegion``), or the mapped cache file; always a mapping.
///
/// Views into the memory (``IndexBlock``, ``TermHashList``…) retain their storage, so it lives as long as any of them.
final class IndexStorage: @unchecked Sendable {
    // @unchecked: blocks are written by the indexing threads before any view of them is handed on (the threads are
    // joined first); after that the memory is only read, and it is released only in deinit.
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

    /// Takes ownership of a shared mapping of `count` bytes (see ``CacheRegion``).
    convenience init(sharedMapping base: UnsafeRawPointer, count: Int) {
        self.init(base: base, count: count, mapped: count)
    }

    /// Takes ownership of `arena`'s own bytes (blocks it wrote into a ``CacheRegion`` stay there).
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

/// A growable, page-aligned byte buffer that index blocks are written into: chunks of a ``CacheRegion`` while it
/// grants them, else memory of its own.
///
/// Its own memory is anonymous, mapped in whole 2 MiB units and advised for transparent huge pages, so filling tens
/// of MiB of blocks costs a few hundred page faults instead of thousands; it grows by mapping a larger region and
/// copying.
struct ByteArena {
    /// The address offsets count from: the region's start, or the arena's own memory.
    private(set) var base: UnsafeMutableRawPointer
    /// Offset of the next byte to write.
    private(set) var count = 0
    /// End of the writable space (the current chunk, or the own memory).
    private var limit: Int
    /// Size of the own mapping (0 while writing into a region).
    private var capacity: Int
    private let fallbackCapacity: Int
    /// The region being filled; `nil` once it refused a chunk (or when there is none).
    private(set) var region: CacheRegion?

    private static let unit = 2 << 20

    /// An arena with `capacity` bytes of its own memory, or writing into `region` (and falling back to memory of its
    /// own, `capacity` bytes to begin with, if the region refuses a chunk).
    init(capacity: Int = 1 << 20, region: CacheRegion? = nil) {
        fallbackCapacity = ByteArena.rounded(max(capacity, 64))
        self.region = region
        if let region {
            base = region.address(0)
            self.capacity = 0
            limit = 0
        } else {
            self.capacity = fallbackCapacity
            base = ByteArena.map(fallbackCapacity)
            limit = fallbackCapacity
        }
    }

    /// Whether the next block goes into the region.
    var isInRegion: Bool { region != nil }

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

    /// Makes room for `n` more bytes and returns a pointer to them (at offset ``count``, which may move to a new chunk;
    /// valid until the next reservation).
    mutating func reserve(_ n: Int) -> UnsafeMutableRawPointer {
        if count + n + 8 > limit {
            if let region {
                if let chunk = region.take(n + 8) {
                    count = chunk.lowerBound
                    limit = chunk.upperBound
                    return base + count
                }
                // Refused: the rest goes into memory of our own.
                self.region = nil
                capacity = ByteArena.rounded(max(fallbackCapacity, n + 8))
                base = ByteArena.map(capacity)
                count = 0
                limit = capacity
            } else {
                var size = capacity
                while count + n + 8 > size { size *= 2 }
                let p = ByteArena.map(size)
                p.copyMemory(from: base, byteCount: count)
                munmap(base, capacity)
                base = p
                capacity = size
                limit = size
            }
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

    /// Hands the own mapping (its start, used bytes and mapped size; the caller must `munmap` it) to the caller and
    /// leaves the arena empty, with memory of its own.
    mutating func release() -> (base: UnsafeMutableRawPointer, count: Int, mapped: Int) {
        // With only region chunks so far there is no memory of our own: hand over an empty mapping.
        let out = capacity > 0 ? (base, count, capacity) : (ByteArena.map(ByteArena.unit), 0, ByteArena.unit)
        region = nil
        capacity = ByteArena.unit
        base = ByteArena.map(capacity)
        count = 0
        limit = capacity
        return out
    }

    /// Unmaps the own memory.
    func deallocate() { if capacity > 0 { munmap(base, capacity) } }
}
