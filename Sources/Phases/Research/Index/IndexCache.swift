#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads and writes a ``CorpusIndex`` as one binary file that is mapped and used in place, without decoding.
///
/// ```
/// 0   "RAAIDIX2" | u32 version | u32 0x01020304 (byte order) | u32 fileCount | u32 0
/// 24  u64 pathsOffset | u64 blocksOffset | u64 totalSize | u64 checksum (header, file table and paths)
/// 56  fileCount × 64-byte entries:
///       i64 size | i64 mtime | u64 inode | u64 block offset (from blocksOffset) | u32 block length
///       u32 path offset (from pathsOffset) | u16 path length | u8 language | u8 0 | u32 lines
///       4 × u32 field lengths (path, name, comment, code)
/// pathsOffset   path bytes (pad to 8)
/// blocksOffset  file blocks (see ``IndexBlock``), each 8-byte aligned
/// ```
/// Native byte order. Every offset is bounds-checked and every block validated before use; a file that is truncated,
/// of another version or inconsistent is ignored (and rebuilt). Writes go to a temporary file renamed over the old one.
enum IndexCache {
    static let magic: [UInt8] = Array("RAAIDIX2".utf8)
    static let version: UInt32 = 2
    static let byteOrderMark: UInt32 = 0x0102_0304
    static let headerSize = 56
    static let entrySize = 64

    /// The cache file for workspace `root` inside `directory`.
    static func path(directory: String, root: String) -> String {
        var h: UInt64 = 14_695_981_039_346_656_037
        for b in root.utf8 { h = (h ^ UInt64(b)) &* 1_099_511_628_211 }
        let hex = String(h, radix: 16)
        return directory + "/research-index-" + hex + ".bin"
    }

    /// Maps the cache at `path`, or returns `nil` when it is missing, truncated, corrupt or of another version.
    static func load(_ path: String) -> Snapshot? {
        guard let storage = IndexStorage.mapping(path) else { return nil }
        return Snapshot(storage)
    }

    /// Checksum of the header (without its checksum field), file table and paths.
    static func checksum(_ base: UnsafeRawPointer, pathsEnd: Int) -> UInt64 {
        let head = TermHash.of(base.assumingMemoryBound(to: UInt8.self), count: headerSize - 8)
        let rest = TermHash.of((base + headerSize).assumingMemoryBound(to: UInt8.self), count: pathsEnd - headerSize)
        return head ^ (rest &* 0x9E37_79B9_7F4A_7C15)
    }
}

extension IndexCache {
    /// A validated, mapped cache file.
    struct Snapshot {
        let storage: IndexStorage
        let fileCount: Int
        private let pathsOffset: Int
        private let blocksOffset: Int

        init?(_ storage: IndexStorage) {
            let base = storage.base
            let size = storage.count
            guard size >= IndexCache.headerSize,
                memcmp(base, IndexCache.magic, IndexCache.magic.count) == 0,
                base.load(fromByteOffset: 8, as: UInt32.self) == IndexCache.version,
                base.load(fromByteOffset: 12, as: UInt32.self) == IndexCache.byteOrderMark
            else { return nil }
            let count = Int(base.load(fromByteOffset: 16, as: UInt32.self))
            let paths = Int(base.load(fromByteOffset: 24, as: UInt64.self))
            let blocks = Int(base.load(fromByteOffset: 32, as: UInt64.self))
            let total = Int(base.load(fromByteOffset: 40, as: UInt64.self))
            guard total == size, count <= size / IndexCache.entrySize,
                paths == IndexCache.headerSize + count * IndexCache.entrySize, paths <= blocks, blocks <= size,
                blocks & 7 == 0,
                IndexCache.checksum(base, pathsEnd: blocks) == base.load(fromByteOffset: 48, as: UInt64.self)
            else { return nil }
            for i in 0..<count {
                let e = IndexCache.headerSize + i * IndexCache.entrySize
                let blockOffset = Int(truncatingIfNeeded: base.load(fromByteOffset: e + 24, as: UInt64.self))
                let blockLength = Int(base.load(fromByteOffset: e + 32, as: UInt32.self))
                let pathOffset = Int(base.load(fromByteOffset: e + 36, as: UInt32.self))
                let pathLength = Int(base.load(fromByteOffset: e + 40, as: UInt16.self))
                guard blockOffset >= 0, blockOffset <= size - blocks, blockLength <= size - blocks - blockOffset,
                    pathOffset + pathLength <= blocks - paths,
                    SourceLanguage(rawValue: base.load(fromByteOffset: e + 42, as: UInt8.self)) != nil
                else { return nil }
            }
            self.storage = storage
            self.fileCount = count
            self.pathsOffset = paths
            self.blocksOffset = blocks
        }

        private func entry(_ i: Int) -> UnsafeRawPointer {
            storage.base + IndexCache.headerSize + i * IndexCache.entrySize
        }

        /// The stored path bytes of entry `i`.
        func pathBytes(_ i: Int) -> UnsafeBufferPointer<UInt8> {
            let e = entry(i)
            let offset = Int(e.load(fromByteOffset: 36, as: UInt32.self))
            let length = Int(e.load(fromByteOffset: 40, as: UInt16.self))
            return UnsafeBufferPointer(
                start: (storage.base + pathsOffset + offset).assumingMemoryBound(to: UInt8.self), count: length)
        }

        /// Entry index by path hash (``TermHash`` of the path bytes).
        func pathTable() -> [UInt64: Int32] {
            var table: [UInt64: Int32] = [:]
            table.reserveCapacity(fileCount)
            for i in 0..<fileCount { table[TermHash.of(pathBytes(i))] = Int32(i) }
            return table
        }

        /// The cached index of `file` if its path, size, mtime and inode match and its block is valid.
        func reusable(_ file: WorkspaceFile, in table: [UInt64: Int32]) -> FileIndex? {
            var path = file.path
            return path.withUTF8 { bytes -> FileIndex? in
                guard let i = table[TermHash.of(bytes)].map(Int.init) else { return nil }
                let stored = pathBytes(i)
                guard stored.count == bytes.count,
                    stored.count == 0 || memcmp(stored.baseAddress!, bytes.baseAddress!, bytes.count) == 0
                else { return nil }
                let e = entry(i)
                guard e.load(as: Int64.self) == file.size, e.load(fromByteOffset: 8, as: Int64.self) == file.modificationTime,
                    e.load(fromByteOffset: 16, as: UInt64.self) == file.inode
                else { return nil }
                let language = SourceLanguage(rawValue: e.load(fromByteOffset: 42, as: UInt8.self)) ?? .other
                let blockLength = Int(e.load(fromByteOffset: 32, as: UInt32.self))
                var block = IndexBlock.empty
                if blockLength > 0 {
                    let offset = blocksOffset + Int(e.load(fromByteOffset: 24, as: UInt64.self))
                    guard let parsed = IndexBlock(owner: storage, offset: offset, length: blockLength) else { return nil }
                    block = parsed
                }
                return FileIndex(
                    path: file.path, size: file.size, modificationTime: file.modificationTime, inode: file.inode,
                    language: language, lineCount: e.load(fromByteOffset: 44, as: UInt32.self),
                    lengths: FieldLengths(
                        path: e.load(fromByteOffset: 48, as: UInt32.self),
                        name: e.load(fromByteOffset: 52, as: UInt32.self),
                        comment: e.load(fromByteOffset: 56, as: UInt32.self),
                        code: e.load(fromByteOffset: 60, as: UInt32.self)),
                    block: block)
            }
        }
    }
}
