#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Tokenizes workspace files into ``FileIndex`` values; one instance per thread, with its own term table.
struct FileIndexer {
    /// Why a file was not indexed.
    enum Skip: String { case binary, unreadable }

    private(set) var table = TermTable(capacity: 1 << 15)
    private(set) var bytesRead: Int64 = 0
    private var lastSeen: [Int32] = []
    private var slot: [Int32] = []
    private var serial: Int32 = 0
    private var terms: [UInt32] = []
    private var counts: [FieldCounts] = []
    private var lengths = FieldLengths()
    private var scratch: [UInt8] = []
    private var buffer: [UInt8] = []
    private var bufferLength = 0
    private var codeLine: [UInt8] = []
    private var commentLine: [UInt8] = []

    /// Indexes `file` under `root`; the returned index's term ids refer to ``table``.
    mutating func index(
        _ file: WorkspaceFile, root: String, language: SourceLanguage
    ) -> Result<FileIndex, SkipError> {
        guard readFile(root + "/" + file.path, expected: Int(file.size)) else { return .failure(SkipError(.unreadable)) }
        let length = bufferLength
        return buffer.withUnsafeBufferPointer { whole in
            let bytes = UnsafeBufferPointer(rebasing: whole[0..<length])
            let probe = min(bytes.count, 8192)
            if probe > 0, memchr(bytes.baseAddress!, 0, probe) != nil { return .failure(SkipError(.binary)) }
            return .success(build(file, bytes: bytes, language: language))
        }
    }

    /// A skip reason wrapped as an `Error` for `Result`.
    struct SkipError: Error {
        let reason: Skip
        init(_ reason: Skip) { self.reason = reason }
    }

    private mutating func build(
        _ file: WorkspaceFile, bytes: UnsafeBufferPointer<UInt8>, language: SourceLanguage
    ) -> FileIndex {
        serial &+= 1
        terms.removeAll(keepingCapacity: true)
        counts.removeAll(keepingCapacity: true)
        lengths = FieldLengths()
        var path = file.path
        path.withUTF8 { addTokens($0, field: 0) }
        var scanner = DefinitionSyntax.of(language).map { DefinitionScanner(syntax: $0) }
        var lines = LineSplitter(style: language.commentStyle, language: language)
        var number = 0
        var start = 0
        let n = bytes.count
        while start < n {
            var end = start
            if let p = memchr(bytes.baseAddress! + start, 0x0A, n - start) {
                end = bytes.baseAddress!.distance(to: p.assumingMemoryBound(to: UInt8.self))
            } else {
                end = n
            }
            number += 1
            let line = UnsafeBufferPointer(rebasing: bytes[start..<end])
            var code = codeLine, comment = commentLine
            codeLine = []
            commentLine = []
            lines.split(line, code: &code, comment: &comment)
            code.withUnsafeBufferPointer { addTokens($0, field: 3) }
            if !comment.isEmpty { comment.withUnsafeBufferPointer { addTokens($0, field: 2) } }
            if scanner != nil { code.withUnsafeBufferPointer { scanner!.scan(line: $0, number: number) } }
            codeLine = code
            commentLine = comment
            start = end + 1
        }
        var definitions: [Definition] = []
        if var s = scanner {
            s.finish(lastLine: number)
            definitions.reserveCapacity(s.found.count)
            for def in s.found {
                var nameId: UInt32 = 0
                var local = scratch
                scratch = []
                def.name.withUnsafeBufferPointer { name in
                    Tokenizer.identifier(name, scratch: &local) { tok, whole in
                        let id = count(tok, field: 1)
                        if whole { nameId = id }
                    }
                }
                scratch = local
                definitions.append(
                    Definition(
                        nameId: nameId, kind: def.kind, startLine: UInt32(def.startLine),
                        endLine: UInt32(max(def.startLine, def.endLine))))
            }
        }
        return FileIndex(
            path: file.path, size: file.size, modificationTime: file.modificationTime, inode: file.inode,
            language: language, lineCount: UInt32(number), terms: terms, counts: counts, lengths: lengths,
            definitions: definitions)
    }

    private mutating func addTokens(_ text: UnsafeBufferPointer<UInt8>, field: Int) {
        var local = scratch
        scratch = []
        Tokenizer.tokenize(text, scratch: &local) { tok, _ in _ = count(tok, field: field) }
        scratch = local
    }

    @discardableResult
    private mutating func count(_ tok: UnsafeBufferPointer<UInt8>, field: Int) -> UInt32 {
        let id = table.intern(tok)
        let i = Int(id)
        if i >= lastSeen.count {
            let grow = max(i + 1, lastSeen.count * 2)
            lastSeen.append(contentsOf: repeatElement(0, count: grow - lastSeen.count))
            slot.append(contentsOf: repeatElement(0, count: grow - slot.count))
        }
        var s = Int(slot[i])
        if lastSeen[i] != serial {
            lastSeen[i] = serial
            s = terms.count
            slot[i] = Int32(s)
            terms.append(id)
            counts.append(FieldCounts())
        }
        switch field {
        case 0:
            counts[s].path &+= counts[s].path == .max ? 0 : 1
            lengths.path += 1
        case 1:
            counts[s].name &+= counts[s].name == .max ? 0 : 1
            lengths.name += 1
        case 2:
            counts[s].comment &+= counts[s].comment == .max ? 0 : 1
            lengths.comment += 1
        default:
            counts[s].code &+= counts[s].code == .max ? 0 : 1
            lengths.code += 1
        }
        return id
    }

    private mutating func readFile(_ path: String, expected: Int) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        let capacity = max(expected, 0) + 1
        if buffer.count < capacity { buffer = [UInt8](repeating: 0, count: max(capacity, buffer.count * 2, 65536)) }
        var total = 0
        let ok = buffer.withUnsafeMutableBytes { raw -> Bool in
            while total < capacity {
                let r = read(fd, raw.baseAddress! + total, capacity - total)
                if r < 0 { if errno == EINTR { continue }; return false }
                if r == 0 { break }
                total += r
            }
            return true
        }
        guard ok else { return false }
        bytesRead += Int64(total)
        bufferLength = total
        return true
    }
}
