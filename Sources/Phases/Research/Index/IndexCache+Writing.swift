#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension IndexCache {
    /// Writes `corpus` to `path` atomically. Blocks are copied straight from where they live (worker arenas or the
    /// previous mapped cache), coalescing adjacent ones into single writes. Errors are ignored (best effort).
    static func save(_ corpus: CorpusIndex, to path: String) {
        let files = corpus.files.filter { $0.path.utf8.count <= Int(UInt16.max) }
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
        var pathBytes: [UInt8] = []
        var pathOffsets: [Int] = []
        pathOffsets.reserveCapacity(files.count)
        for f in files {
            pathOffsets.append(pathBytes.count)
            pathBytes.append(contentsOf: f.path.utf8)
        }
        while pathBytes.count & 7 != 0 { pathBytes.append(0) }
        let pathsOffset = headerSize + files.count * entrySize
        let blocksOffset = pathsOffset + pathBytes.count
        var head = [UInt8](repeating: 0, count: blocksOffset)
        head.withUnsafeMutableBytes { raw in
            let p = raw.baseAddress!
            p.copyMemory(from: magic, byteCount: magic.count)
            p.storeBytes(of: version, toByteOffset: 8, as: UInt32.self)
            p.storeBytes(of: byteOrderMark, toByteOffset: 12, as: UInt32.self)
            p.storeBytes(of: UInt32(files.count), toByteOffset: 16, as: UInt32.self)
            p.storeBytes(of: UInt64(pathsOffset), toByteOffset: 24, as: UInt64.self)
            p.storeBytes(of: UInt64(blocksOffset), toByteOffset: 32, as: UInt64.self)
            p.storeBytes(of: UInt64(blocksOffset + blocksSize), toByteOffset: 40, as: UInt64.self)
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
        // Keep the corpus (and so every block's storage) alive while the segments are written.
        withExtendedLifetime(corpus) {
            writeAtomically(head, segments, to: path)
        }
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
