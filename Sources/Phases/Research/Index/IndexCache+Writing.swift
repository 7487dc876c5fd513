#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension IndexCache {
    /// Writes `corpus` to `path` atomically. When the build wrote its new blocks into `region` (the next cache file),
    /// only the header and any reused blocks are written there before it is renamed into place. Otherwise blocks are
    /// copied straight from where they live (worker arenas or the previous mapped cache), coalescing adjacent ones
    /// into single writes. Errors are ignored (best effort).
    static func save(_ corpus: CorpusIndex, to path: String, region: CacheRegion? = nil) {
        let files = corpus.files.filter { $0.path.utf8.count <= Int(UInt16.max) }
        if let region, region.path == path, region.isComplete, save(files, into: region) { return }
        // Blocks in memory order, so runs that were adjacent stay adjacent and are written in one call.
        var pieces: [(address: UInt, length: Int, file: Int)] = []
        pieces.reserveCapacity(files.count)
        for (i, f) in files.enumerated() where f.block.length > 0 {
            pieces.append((UInt(bitPattern: f.block.start!), f.block.length, i))
        }
        pieces.sort { $0.address < $1.address }
        var blockOffsets = [Int](repeating: 0, count: files.count)
        var segments: [(address: UInt, length: Int)] = []
        var blocksSize = 0
        for p in pieces {
            blockOffsets[p.file] = blocksSize
            if let last = segments.last, last.address + UInt(last.length) == p.address {
                segments[segments.count - 1].length += p.length
            } else {
                segments.append((p.address, p.length))
            }
            blocksSize += p.length
        }
        let paths = PathSection(files)
        let head = header(files, paths, blockOffsets: blockOffsets, size: paths.blocksOffset + blocksSize)
        // Keep the corpus (and so every block's storage) alive while the segments are written.
        withExtendedLifetime(corpus) {
            writeAtomically(head, segments, to: path)
        }
    }

    /// Completes the cache in `region`: copies blocks that live elsewhere (reused from the previous cache) into one
    /// more chunk, writes the header and commits. Returns whether it did.
    private static func save(_ files: [FileIndex], into region: CacheRegion) -> Bool {
        let storage = region.storage
        var elsewhere = 0
        for f in files where f.block.length > 0 && f.block.owner !== storage { elsewhere += f.block.length }
        var chunk = 0..<0
        if elsewhere > 0 {
            guard let taken = region.take(elsewhere) else { return false }
            chunk = taken
        }
        var positions = [Int](repeating: 0, count: files.count)
        var at = chunk.lowerBound
        for (i, f) in files.enumerated() where f.block.length > 0 {
            guard let start = f.block.start else { continue }
            if f.block.owner === storage {
                positions[i] = storage.base.distance(to: start)
            } else {
                region.address(at).copyMemory(from: start, byteCount: f.block.length)
                positions[i] = at
                at += f.block.length
            }
        }
        // Offsets count from the blocks section, which starts right after the paths (inside the reserved area).
        let paths = PathSection(files)
        guard paths.blocksOffset <= region.headerCapacity else { return false }
        for i in files.indices where files[i].block.length > 0 { positions[i] -= paths.blocksOffset }
        let size = region.end
        let head = header(files, paths, blockOffsets: positions, size: size)
        return withExtendedLifetime(files) { head.withUnsafeBytes { region.commit(header: $0, size: size) } }
    }

    /// The paths of a cache's files, packed and padded to 8 bytes, and where the blocks section after them starts.
    private struct PathSection {
        var bytes: [UInt8] = []
        var offsets: [Int] = []
        let blocksOffset: Int

        init(_ files: [FileIndex]) {
            offsets.reserveCapacity(files.count)
            for f in files {
                offsets.append(bytes.count)
                bytes.append(contentsOf: f.path.utf8)
            }
            while bytes.count & 7 != 0 { bytes.append(0) }
            blocksOffset = IndexCache.headerSize + files.count * IndexCache.entrySize + bytes.count
        }
    }

    /// The header, file table and paths for `files`, each block at `blockOffsets[i]` from the blocks section, in a
    /// file of `size` bytes.
    private static func header(
        _ files: [FileIndex], _ paths: PathSection, blockOffsets: [Int], size total: Int
    ) -> [UInt8] {
        let pathsOffset = headerSize + files.count * entrySize
        let blocksOffset = paths.blocksOffset
        let pathBytes = paths.bytes
        let pathOffsets = paths.offsets
        var head = [UInt8](repeating: 0, count: blocksOffset)
        head.withUnsafeMutableBytes { raw in
            let p = raw.baseAddress!
            p.copyMemory(from: magic, byteCount: magic.count)
            p.storeBytes(of: version, toByteOffset: 8, as: UInt32.self)
            p.storeBytes(of: byteOrderMark, toByteOffset: 12, as: UInt32.self)
            p.storeBytes(of: UInt32(files.count), toByteOffset: 16, as: UInt32.self)
            p.storeBytes(of: UInt64(pathsOffset), toByteOffset: 24, as: UInt64.self)
            p.storeBytes(of: UInt64(blocksOffset), toByteOffset: 32, as: UInt64.self)
            p.storeBytes(of: UInt64(total), toByteOffset: 40, as: UInt64.self)
            for (i, f) in files.enumerated() {
                let e = headerSize + i * entrySize
                p.storeBytes(of: f.size, toByteOffset: e, as: Int64.self)
                p.storeBytes(of: f.modificationTime, toByteOffset: e + 8, as: Int64.self)
                p.storeBytes(of: f.inode, toByteOffset: e + 16, as: UInt64.self)
                p.storeBytes(of: UInt64(blockOffsets[i]), toByteOffset: e + 24, as: UInt64.self)
                p.storeBytes(of: UInt32(f.block.length), toByteOffset: e + 32, as: UInt32.self)
                p.storeBytes(of: UInt32(pathOffsets[i]), toByteOffset: e + 36, as: UInt32.self)
                p.storeBytes(of: UInt16(f.path.utf8.count), toByteOffset: e + 40, as: UInt16.self)
                p.storeBytes(of: f.language.rawValue, toByteOffset: e + 42, as: UInt8.self)
                p.storeBytes(of: f.lineCount, toByteOffset: e + 44, as: UInt32.self)
                p.storeBytes(of: f.lengths.path, toByteOffset: e + 48, as: UInt32.self)
                p.storeBytes(of: f.lengths.name, toByteOffset: e + 52, as: UInt32.self)
                p.storeBytes(of: f.lengths.comment, toByteOffset: e + 56, as: UInt32.self)
                p.storeBytes(of: f.lengths.code, toByteOffset: e + 60, as: UInt32.self)
            }
            pathBytes.withUnsafeBytes { (p + pathsOffset).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
            p.storeBytes(of: checksum(UnsafeRawPointer(p), pathsEnd: blocksOffset), toByteOffset: 48, as: UInt64.self)
        }
        return head
    }

    private static func writeAtomically(_ head: [UInt8], _ segments: [(address: UInt, length: Int)], to path: String) {
        let temp = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return }
        var ok = head.withUnsafeBytes { writeAll(fd, $0.baseAddress!, $0.count) }
        for s in segments where ok {
            ok = writeAll(fd, UnsafeRawPointer(bitPattern: s.address)!, s.length)
        }
        close(fd)
        if !ok || rename(temp, path) != 0 { unlink(temp) }
    }

    private static func writeAll(_ fd: Int32, _ p: UnsafeRawPointer, _ count: Int) -> Bool {
        var written = 0
        while written < count {
            let r = write(fd, p + written, count - written)
            if r < 0 {
                if errno == EINTR { continue }
                return false
            }
            written += r
        }
        return true
    }
}
