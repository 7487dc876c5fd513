import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The next cache file while a build writes it: a temporary file mapped shared, whose block area indexing threads
/// fill directly, so a cold run's blocks live in the page cache once instead of in memory and then again in a
/// written file.
///
/// The space after a reserved header area is handed out in chunks (``take(_:)``), each reserved on disk with
/// `fallocate` first: a full disk then refuses a chunk (and the build keeps its blocks in memory) instead of
/// faulting on a write. ``IndexCache/save(_:to:region:)`` writes the header into the front and renames the file into
/// place; a region never committed is unlinked.
final class CacheRegion: @unchecked Sendable {
    // @unchecked: chunks are handed out atomically and each is written by one thread; the header is written once,
    // after the indexing threads have been joined.
    /// Where the cache is committed.
    let path: String
    /// The mapping (file offset 0 at `storage.base`), shared by the blocks written into it.
    let storage: IndexStorage
    /// Bytes reserved at the front for the header, file table and paths.
    let headerCapacity: Int
    private let temp: String
    private let fd: Int32
    private let next: Atomic<Int>
    private let refused = Atomic<Bool>(false)
    private let committed = Atomic<Bool>(false)
    /// Smallest chunk handed out.
    static let chunkSize = 1 << 20

    /// Creates the temporary file beside `path` with room for `headerCapacity` + `blockCapacity` bytes (sparse), or
    /// returns `nil` when it cannot be created, mapped or preallocated (then the cache is written the plain way).
    init?(path: String, headerCapacity: Int, blockCapacity: Int) {
        let header = (headerCapacity + 4095) & ~4095
        let size = header + max(blockCapacity, CacheRegion.chunkSize)
        let temp = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return nil }
        guard ftruncate(fd, off_t(size)) == 0, CacheRegion.preallocate(fd, 0, header),
            let p = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), p != MAP_FAILED
        else {
            close(fd)
            unlink(temp)
            return nil
        }
        self.path = path
        self.temp = temp
        self.fd = fd
        self.headerCapacity = header
        storage = IndexStorage(sharedMapping: UnsafeRawPointer(p), count: size)
        next = Atomic(header)
    }

    deinit {
        if !committed.load(ordering: .acquiring) { unlink(temp) }
        close(fd)
    }

    /// Whether every chunk asked for was granted (otherwise some blocks live elsewhere).
    var isComplete: Bool { !refused.load(ordering: .relaxed) }

    /// End of the chunks handed out so far (the file's size once committed).
    var end: Int { next.load(ordering: .acquiring) }

    /// Hands out a chunk of at least `minimum` bytes (8-byte aligned offset and size) and returns its file offsets, or
    /// `nil` when the file is full or the disk refuses the space (after which every later call returns `nil` too).
    func take(_ minimum: Int) -> Range<Int>? {
        if refused.load(ordering: .relaxed) { return nil }
        let size = (max(minimum, CacheRegion.chunkSize) + 7) & ~7
        let offset = next.add(size, ordering: .relaxed).oldValue
        guard offset + size <= storage.count, CacheRegion.preallocate(fd, offset, size) else {
            refused.store(true, ordering: .relaxed)
            return nil
        }
        return offset..<(offset + size)
    }

    /// The writable address of file offset `offset`.
    func address(_ offset: Int) -> UnsafeMutableRawPointer { UnsafeMutableRawPointer(mutating: storage.base + offset) }

    /// Writes `header` at the front, trims the file to `size` bytes and renames it into place; returns whether the
    /// cache was committed.
    func commit(header: UnsafeRawBufferPointer, size: Int) -> Bool {
        guard header.count <= headerCapacity, size <= storage.count, let h = header.baseAddress else { return false }
        address(0).copyMemory(from: h, byteCount: header.count)
        guard ftruncate(fd, off_t(size)) == 0, rename(temp, path) == 0 else { return false }
        committed.store(true, ordering: .releasing)
        return true
    }

    private static func preallocate(_ fd: Int32, _ offset: Int, _ length: Int) -> Bool {
        #if os(Linux)
            return posix_fallocate(fd, off_t(offset), off_t(length)) == 0
        #else
            return false
        #endif
    }
}
