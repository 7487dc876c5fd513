#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Tokenizes workspace files into index blocks in its own arena; one instance per thread, nothing shared.
final class FileIndexer {
    /// Why a file was not indexed.
    enum Skip: String { case binary, unreadable }

    /// What indexing one file produced: its field lengths and line count, and its block in ``arena``.
    struct Indexed {
        var lineCount: UInt32
        var lengths: FieldLengths
        var blockOffset: Int
        var blockLength: Int
        /// Whether the block is in the arena's ``CacheRegion`` (else in the arena's own memory).
        var isInRegion: Bool
    }

    /// Blocks written so far.
    var arena: ByteArena
    private(set) var bytesRead: Int64 = 0
    private var tokens = HashingTokenizer()
    private var counter = TermCounter()
    private var identifiers = IdentifierCounter()
    private let words = WordCache()
    private var buffer: UnsafeMutableRawPointer
    private var bufferCapacity = 1 << 16
    private var lineBuffers = LineBuffers()
    private var definitions: [(hash: UInt64, kind: DefinitionKind, start: UInt32, end: UInt32, name: Int, length: Int)] =
        []
    private var names: [UInt8] = []
    /// Sink for ``WordCache/touch(hash:)`` results.
    private var touched: UInt64 = 0

    /// Creates an indexer whose arena writes blocks into `region` (while it grants space), or into memory of its own
    /// that starts with room for `arenaCapacity` bytes.
    init(arenaCapacity: Int = 1 << 20, region: CacheRegion? = nil) {
        arena = ByteArena(capacity: arenaCapacity, region: region)
        buffer = malloc(bufferCapacity + LineBuffers.slack)!
    }

    deinit {
        tokens.deallocate()
        counter.deallocate()
        identifiers.deallocate()
        words.deallocate()
        free(buffer)
        lineBuffers.deallocate()
        arena.deallocate()
    }

    /// Indexes `file` under `root` into ``arena``.
    func index(_ file: WorkspaceFile, root: String, language: SourceLanguage) -> Result<Indexed, SkipError> {
        guard let length = readFile(root + "/" + file.path, expected: Int(file.size)) else {
            return .failure(SkipError(.unreadable))
        }
        let bytes = UnsafeBufferPointer(start: buffer.assumingMemoryBound(to: UInt8.self), count: length)
        let probe = min(length, 8192)
        if probe > 0, memchr(buffer, 0, probe) != nil { return .failure(SkipError(.binary)) }
        return .success(build(file, bytes: bytes, language: language))
    }

    /// A skip reason wrapped as an `Error` for `Result`.
    struct SkipError: Error {
        let reason: Skip
        init(_ reason: Skip) { self.reason = reason }
    }

    private func build(_ file: WorkspaceFile, bytes: UnsafeBufferPointer<UInt8>, language: SourceLanguage) -> Indexed {
        // Work on local copies (plain values over pointers) so the hot loop has no dynamic exclusivity checks.
        var counter = self.counter
        var tokens = self.tokens
        var buffers = self.lineBuffers
        var identifiers = self.identifiers
        let words = self.words
        defer {
            self.identifiers = identifiers
            self.counter = counter
            self.tokens = tokens
            self.lineBuffers = buffers
        }
        identifiers.reset(expected: bytes.count / 24)
        var path = file.path
        path.withUTF8 { p in
            guard let base = p.baseAddress else { return }
            // Scan a padded copy (the tokenizer reads whole words past each identifier).
            if p.count > buffers.capacity { buffers.grow(p.count) }
            buffers.code.update(from: base, count: p.count)
            tokens.scan(buffers.code, count: p.count, field: 0, into: &identifiers)
        }
        var scanner = DefinitionSyntax.of(language).map { DefinitionScanner(syntax: $0) }
        var lines = LineSplitter(style: language.commentStyle, language: language)
        let isProse = language.commentStyle == .prose
        var number = 0
        var start = 0
        let n = bytes.count
        let base = bytes.baseAddress
        while start < n {
            let end: Int
            if let p = memchr(base! + start, 0x0A, n - start) {
                end = base!.distance(to: p.assumingMemoryBound(to: UInt8.self))
            } else {
                end = n
            }
            number += 1
            let line = base! + start
            let lineLength = end - start
            if isProse {
                tokens.scan(line, count: lineLength, field: 2, into: &identifiers)
            } else {
                if lineLength > buffers.capacity { buffers.grow(lineLength) }
                // A line that is all code is scanned where it lies (the file buffer keeps the slack after it too).
                let (codeLength, commentLength, isWholeLine) = lines.splitKeepingWholeCode(
                    UnsafeBufferPointer(start: line, count: lineLength), codeInto: buffers.code,
                    commentInto: buffers.comment)
                let code = isWholeLine ? UnsafeMutablePointer(mutating: line) : buffers.code
                tokens.scan(code, count: codeLength, field: 3, into: &identifiers)
                if commentLength > 0 { tokens.scan(buffers.comment, count: commentLength, field: 2, into: &identifiers) }
                if scanner != nil {
                    scanner!.scan(line: UnsafeBufferPointer(start: code, count: codeLength), number: number)
                }
            }
            start = end + 1
        }
        counter.reset(expected: identifiers.count * 2)
        // Load every word's cache slot first: independent loads overlap, where lookups one by one wait for each.
        var sink: UInt64 = 0
        for k in 0..<identifiers.count { sink &+= words.touch(hash: identifiers.entries[k].hash) }
        touched = sink
        for k in 0..<identifiers.count {
            let e = identifiers.entries[k]
            let n = Int(e.length)
            if let known = words.terms(count: n, hash: e.hash, first: e.first, second: e.second) {
                for h in known { counter.add(h, times: e.counts) }
                continue
            }
            tokens.split(identifiers.bytes + Int(e.offset), count: n, captureWhole: false)
            for h in tokens.terms { counter.add(h, times: e.counts) }
            words.insert(count: n, hash: e.hash, first: e.first, second: e.second, terms: tokens.terms)
        }
        definitions.removeAll(keepingCapacity: true)
        names.removeAll(keepingCapacity: true)
        if var s = scanner {
            s.finish(lastLine: number)
            for def in s.found {
                let whole = def.name.withUnsafeBufferPointer { name in
                    tokens.identifier(
                        name.baseAddress!, count: name.count, times: FieldTimes(name: 1), into: &counter,
                        captureWhole: true)
                }
                var hash: UInt64 = 0
                let offset = names.count
                if whole {
                    hash = tokens.wholeHash
                    tokens.withWhole { names.append(contentsOf: $0) }
                }
                definitions.append(
                    (hash, def.kind, UInt32(def.startLine), UInt32(max(def.startLine, def.endLine)), offset,
                        names.count - offset))
            }
        }
        let (offset, length) = writeBlock(&counter)
        return Indexed(
            lineCount: UInt32(number), lengths: counter.lengths, blockOffset: offset, blockLength: length,
            isInRegion: arena.isInRegion)
    }

    /// Appends the current file's block to ``arena``.
    private func writeBlock(_ counter: inout TermCounter) -> (offset: Int, length: Int) {
        let entries = counter.sorted()
        let t = entries.count
        var overflow = 0
        for e in entries where Self.needsOverflow(e.counts) { overflow += 1 }
        let layout = IndexBlock.Layout(
            terms: t, overflow: overflow, definitions: definitions.count, nameBytes: names.count)
        let p = arena.reserve(layout.total)
        let offset = arena.count
        p.storeBytes(of: UInt32(t), as: UInt32.self)
        p.storeBytes(of: UInt32(overflow), toByteOffset: 4, as: UInt32.self)
        p.storeBytes(of: UInt32(definitions.count), toByteOffset: 8, as: UInt32.self)
        p.storeBytes(of: UInt32(names.count), toByteOffset: 12, as: UInt32.self)
        let hashes = (p + 16).assumingMemoryBound(to: UInt64.self)
        let packed = (p + layout.packed).assumingMemoryBound(to: UInt32.self)
        var o = layout.overflow
        for k in 0..<t {
            let c = entries[k].counts
            hashes[k] = entries[k].hash
            var v: UInt32 = 0
            for f in 0..<4 {
                let x = UInt32((c >> UInt64(16 * f)) & 0xFFFF)
                v |= min(x, 0xFF) << UInt32(8 * f)
            }
            packed[k] = v
            if Self.needsOverflow(c) {
                p.storeBytes(of: UInt32(k), toByteOffset: o, as: UInt32.self)
                for f in 0..<4 {
                    p.storeBytes(of: UInt16((c >> UInt64(16 * f)) & 0xFFFF), toByteOffset: o + 4 + 2 * f, as: UInt16.self)
                }
                o += 12
            }
        }
        var zero = o
        while zero < layout.definitions {
            p.storeBytes(of: 0, toByteOffset: zero, as: UInt8.self)
            zero += 1
        }
        for (k, d) in definitions.enumerated() {
            let e = layout.definitions + 24 * k
            p.storeBytes(of: d.hash, toByteOffset: e, as: UInt64.self)
            p.storeBytes(of: d.start, toByteOffset: e + 8, as: UInt32.self)
            p.storeBytes(of: d.end, toByteOffset: e + 12, as: UInt32.self)
            p.storeBytes(of: UInt32(d.name), toByteOffset: e + 16, as: UInt32.self)
            p.storeBytes(of: UInt8(d.length), toByteOffset: e + 20, as: UInt8.self)
            p.storeBytes(of: d.kind.rawValue, toByteOffset: e + 21, as: UInt8.self)
            p.storeBytes(of: 0, toByteOffset: e + 22, as: UInt16.self)
        }
        names.withUnsafeBytes { (p + layout.names).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        let used = layout.names + names.count
        arena.commit(used)
        return (offset, layout.total)
    }

    @inline(__always)
    private static func needsOverflow(_ c: UInt64) -> Bool {
        (c & 0xFFFF) >= 0xFF || (c >> 16) & 0xFFFF >= 0xFF || (c >> 32) & 0xFFFF >= 0xFF || c >> 48 >= 0xFF
    }

    /// Reads the file into ``buffer``; returns its length, or `nil` when unreadable.
    private func readFile(_ path: String, expected: Int) -> Int? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        let capacity = max(expected, 0) + 1
        if bufferCapacity < capacity {
            bufferCapacity = max(capacity, bufferCapacity * 2)
            free(buffer)
            buffer = malloc(bufferCapacity + LineBuffers.slack)!
        }
        var total = 0
        while total < capacity {
            let r = read(fd, buffer + total, capacity - total)
            if r < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if r == 0 { break }
            total += r
        }
        bytesRead += Int64(total)
        return total
    }
}

/// Code and comment output buffers for ``LineSplitter``, each with room for one line.
private struct LineBuffers {
    var code: UnsafeMutablePointer<UInt8>
    var comment: UnsafeMutablePointer<UInt8>
    var capacity = 1 << 12
    /// Readable bytes kept after any text the tokenizer scans (it classifies 32 bytes at a time).
    static let slack = HashingTokenizer.slack

    init() {
        code = .allocate(capacity: capacity + LineBuffers.slack)
        comment = .allocate(capacity: capacity + LineBuffers.slack)
    }

    mutating func grow(_ n: Int) {
        while capacity < n { capacity *= 2 }
        deallocate()
        code = .allocate(capacity: capacity + LineBuffers.slack)
        comment = .allocate(capacity: capacity + LineBuffers.slack)
    }

    func deallocate() {
        code.deallocate()
        comment.deallocate()
    }
}
