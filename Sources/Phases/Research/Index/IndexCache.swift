#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads and writes a ``CorpusIndex`` as one compact binary file.
///
/// ```
/// "RAAIDIX\0" | u32 version | u32 termCount | termCount × (u8 len, bytes) | u32 fileCount |
/// fileCount × ( u16 pathLen, path, i64 size, i64 mtime, u64 inode, u8 language, u32 lines,
///               4 × u32 field lengths, u32 n, n × u32 term, n × 4 × u16 counts,
///               u32 d, d × (u32 name, u8 kind, u32 start, u32 end) ) | "END\0"
/// ```
/// All integers little-endian. Every read is bounds-checked; any inconsistency makes ``load(_:)`` return `nil`.
/// Writes go to a temporary file that is renamed over the old one.
enum IndexCache {
    static let magic: [UInt8] = Array("RAAIDIX\u{0}".utf8)
    static let version: UInt32 = 1

    /// The cache file for workspace `root` inside `directory`.
    static func path(directory: String, root: String) -> String {
        var h: UInt64 = 14_695_981_039_346_656_037
        for b in root.utf8 { h = (h ^ UInt64(b)) &* 1_099_511_628_211 }
        let hex = String(h, radix: 16)
        return directory + "/research-index-" + hex + ".bin"
    }

    /// Loads the cache at `path`, or `nil` when it is missing, corrupt or of another version.
    static func load(_ path: String) -> CorpusIndex? {
        guard let bytes = readAll(path) else { return nil }
        return bytes.withUnsafeBytes { raw -> CorpusIndex? in
            var r = BinaryReader(raw)
            return decode(&r)
        }
    }

    private static func decode(_ r: inout BinaryReader) -> CorpusIndex? {
        guard r.bytes(magic.count).map(Array.init) == magic, r.u32() == version, let termCount = r.u32() else {
            return nil
        }
        var table = TermTable(capacity: Int(termCount) + 16)
        for _ in 0..<termCount {
            guard let len = r.u8(), let term = r.bytes(Int(len)) else { return nil }
            let id = table.intern(term)
            guard id == UInt32(table.count - 1) else { return nil }  // duplicate term: corrupt
        }
        guard let fileCount = r.u32(), Int(fileCount) <= r.remaining else { return nil }
        var files: [FileIndex] = []
        files.reserveCapacity(Int(fileCount))
        for _ in 0..<fileCount {
            guard let pathLen = r.u16(), let pathBytes = r.bytes(Int(pathLen)),
                let size = r.i64(), let mtime = r.i64(), let inode = r.u64(), let lang = r.u8(),
                let language = SourceLanguage(rawValue: lang), let lines = r.u32(),
                let lp = r.u32(), let ln = r.u32(), let lc = r.u32(), let lk = r.u32(), let n = r.u32(),
                Int(n) * 12 <= r.remaining
            else { return nil }
            var terms = [UInt32](repeating: 0, count: Int(n))
            for k in 0..<Int(n) {
                guard let t = r.u32(), t < termCount else { return nil }
                terms[k] = t
            }
            var counts = [FieldCounts](repeating: FieldCounts(), count: Int(n))
            for k in 0..<Int(n) {
                guard let a = r.u16(), let b = r.u16(), let c = r.u16(), let d = r.u16() else { return nil }
                counts[k] = FieldCounts(path: a, name: b, comment: c, code: d)
            }
            guard let d = r.u32(), Int(d) * 13 <= r.remaining else { return nil }
            var defs: [Definition] = []
            defs.reserveCapacity(Int(d))
            for _ in 0..<d {
                guard let name = r.u32(), name < termCount, let kindRaw = r.u8(),
                    let kind = DefinitionKind(rawValue: kindRaw), let s = r.u32(), let e = r.u32(), s <= e
                else { return nil }
                defs.append(Definition(nameId: name, kind: kind, startLine: s, endLine: e))
            }
            files.append(
                FileIndex(
                    path: String(decoding: pathBytes, as: UTF8.self), size: size, modificationTime: mtime,
                    inode: inode, language: language, lineCount: lines, terms: terms, counts: counts,
                    lengths: FieldLengths(path: lp, name: ln, comment: lc, code: lk), definitions: defs))
        }
        guard r.bytes(4).map(Array.init) == Array("END\u{0}".utf8), r.remaining == 0 else { return nil }
        return CorpusIndex(table: table, files: files)
    }

    /// Writes `corpus` to `path` atomically, keeping only the terms still used. Errors are ignored (best effort).
    static func save(_ corpus: CorpusIndex, to path: String) {
        var used = [UInt32](repeating: UInt32.max, count: corpus.table.count)
        var order: [UInt32] = []
        func mark(_ id: UInt32) -> UInt32 {
            if used[Int(id)] == UInt32.max {
                used[Int(id)] = UInt32(order.count)
                order.append(id)
            }
            return used[Int(id)]
        }
        var w = BinaryWriter()
        var body = BinaryWriter()
        body.u32(UInt32(corpus.files.count))
        for f in corpus.files {
            let p = Array(f.path.utf8)
            body.u16(UInt16(min(p.count, Int(UInt16.max))))
            body.bytes(p.prefix(Int(UInt16.max)))
            body.i64(f.size)
            body.i64(f.modificationTime)
            body.u64(f.inode)
            body.u8(f.language.rawValue)
            body.u32(f.lineCount)
            body.u32(f.lengths.path)
            body.u32(f.lengths.name)
            body.u32(f.lengths.comment)
            body.u32(f.lengths.code)
            body.u32(UInt32(f.terms.count))
            for t in f.terms { body.u32(mark(t)) }
            for c in f.counts {
                body.u16(c.path)
                body.u16(c.name)
                body.u16(c.comment)
                body.u16(c.code)
            }
            body.u32(UInt32(f.definitions.count))
            for d in f.definitions {
                body.u32(mark(d.nameId))
                body.u8(d.kind.rawValue)
                body.u32(d.startLine)
                body.u32(d.endLine)
            }
        }
        body.bytes(Array("END\u{0}".utf8))
        w.bytes(magic)
        w.u32(version)
        w.u32(UInt32(order.count))
        for id in order {
            corpus.table.withBytes(id) { b in
                w.u8(UInt8(b.count))
                w.bytes(b)
            }
        }
        w.bytes(body.data)
        writeAtomically(w.data, to: path)
    }

    private static func readAll(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_size > 0 else { return nil }
        let size = Int(st.st_size)
        var data = [UInt8](repeating: 0, count: size)
        var total = 0
        let ok = data.withUnsafeMutableBytes { raw -> Bool in
            while total < size {
                let r = read(fd, raw.baseAddress! + total, size - total)
                if r < 0 { if errno == EINTR { continue }; return false }
                if r == 0 { return false }
                total += r
            }
            return true
        }
        return ok ? data : nil
    }

    private static func writeAtomically(_ data: [UInt8], to path: String) {
        let temp = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return }
        var written = 0
        let ok = data.withUnsafeBytes { raw -> Bool in
            while written < raw.count {
                let r = write(fd, raw.baseAddress! + written, raw.count - written)
                if r < 0 { if errno == EINTR { continue }; return false }
                written += r
            }
            return true
        }
        close(fd)
        if !ok || rename(temp, path) != 0 { unlink(temp) }
    }
}
