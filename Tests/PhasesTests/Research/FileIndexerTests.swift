import Foundation
import Testing

@testable import Phases

/// The hashing indexer must count exactly the terms the reference `Tokenizer` yields (over a reference line
/// splitter), per field, and find the same definitions.
@Suite struct FileIndexerTests {
    @Test func blocks_matchTheReference_onTrickyText() throws {
        let ws = try TempWorkspace()
        defer { ws.remove() }
        let files: [(String, String)] = [
            ("Sources/A/HTTPServerNIOWebSocket.swift", """
                /// Decodes `WebSocketFrame`s; headers and entries. /* not nested */
                public struct WebSocketFrameDecoder { let s = "{ brace } \\" escaped"; var x_y__z = 0 }
                func foo/*splice*/bar(_ URLSessionHTTPS: Int64, read_inline_array2: [UInt8]) -> Status { return .ok }
                /* block
                   spans lines */ let after = 1 // trailing comment: classes statuses
                let café = "über_größe"; let \(String(repeating: "Ab", count: 40)) = 1
                let \(String(repeating: "x", count: 210)) = 2 _ __ ___a
                """),
            ("scripts/tool_test.py", "# comment with HTTPServer\nclass Foo(Base):\n    def run_all(self): return 'a # b'\nNAME = 1\n"),
            ("docs/Guide.md", "# WebSocketFrames\n\nThe `FrameDecoder` decodes frames.\n"),
            ("config/app.yml", "key: value # note\nother: \"quoted # not comment\"\n"),
            ("web/app.ts", "export class Store { get(key) { return `a${key}` } }\n// done\nconst x = 'it''s'\n"),
        ]
        for (path, text) in files { try ws.write(path, text) }
        try expectEquivalent(root: ws.root, paths: files.map(\.0))
    }

    @Test func blocks_matchTheReference_onRepositorySources() throws {
        // Tests/PhasesTests/Research/FileIndexerTests.swift → repository root.
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { root.deleteLastPathComponent() }
        var paths: [String] = []
        for top in ["Sources", "Tests", "docs", "bench"] {
            guard let walker = FileManager.default.enumerator(atPath: root.path + "/" + top) else { continue }
            for case let rel as String in walker where SourceLanguage.of(path: rel) != nil {
                var isDir: ObjCBool = false
                if FileManager.default.fileExists(atPath: root.path + "/" + top + "/" + rel, isDirectory: &isDir),
                    !isDir.boolValue
                {
                    paths.append(top + "/" + rel)
                }
            }
        }
        #expect(paths.count > 50)
        try expectEquivalent(root: root.path, paths: paths)
    }

    private func expectEquivalent(root: String, paths: [String]) throws {
        let indexer = FileIndexer()
        var results: [(String, [UInt8], SourceLanguage, FileIndexer.Indexed)] = []
        for path in paths {
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: root + "/" + path)))
            let language = try #require(SourceLanguage.of(path: path))
            let file = WorkspaceFile(path: path, size: Int64(bytes.count), modificationTime: 0, inode: 0)
            guard case .success(let indexed) = indexer.index(file, root: root, language: language) else { continue }
            results.append((path, bytes, language, indexed))
        }
        let storage = IndexStorage.adopting(&indexer.arena)
        for (path, bytes, language, indexed) in results {
            let block = try #require(IndexBlock(owner: storage, offset: indexed.blockOffset, length: indexed.blockLength))
            let expected = Reference(path: path, bytes: bytes, language: language)
            var actual: [UInt64: FieldCounts] = [:]
            for i in 0..<block.termCount { actual[block.terms[i]] = block.counts[i] }
            #expect(Array(block.terms) == Array(block.terms).sorted(), "\(path): terms not sorted")
            #expect(actual == expected.counts, "\(path): term counts differ")
            #expect(indexed.lengths == expected.lengths, "\(path): field lengths differ")
            #expect(indexed.lineCount == expected.lineCount, "\(path): line count differs")
            let defs = block.definitions.map { "\($0.name) \($0.nameHash) \($0.kind) \($0.startLine)-\($0.endLine)" }
            #expect(defs == expected.definitions, "\(path): definitions differ")
        }
    }
}

/// The pre-hashing indexer, kept as the behavioural reference: `String`-free but per-token, with the original
/// per-byte line splitter.
private struct Reference {
    var counts: [UInt64: FieldCounts] = [:]
    var lengths = FieldLengths()
    var lineCount: UInt32 = 0
    var definitions: [String] = []

    init(path: String, bytes: [UInt8], language: SourceLanguage) {
        var scratch: [UInt8] = []
        var copy = path
        copy.withUTF8 { add($0, field: 0, &scratch) }
        var scanner = DefinitionSyntax.of(language).map { DefinitionScanner(syntax: $0) }
        var splitter = ReferenceSplitter(style: language.commentStyle, language: language)
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        if bytes.last == 0x0A { lines.removeLast() }
        if bytes.isEmpty { lines = [] }
        var code: [UInt8] = [], comment: [UInt8] = []
        for (k, line) in lines.enumerated() {
            splitter.split(Array(line), code: &code, comment: &comment)
            code.withUnsafeBufferPointer { add($0, field: 3, &scratch) }
            comment.withUnsafeBufferPointer { add($0, field: 2, &scratch) }
            code.withUnsafeBufferPointer { scanner?.scan(line: $0, number: k + 1) }
        }
        lineCount = UInt32(lines.count)
        if var s = scanner {
            s.finish(lastLine: lines.count)
            for def in s.found {
                var name = "", hash: UInt64 = 0
                def.name.withUnsafeBufferPointer { buf in
                    Tokenizer.identifier(buf, scratch: &scratch) { tok, whole in
                        count(TermHash.of(tok), field: 1)
                        if whole {
                            hash = TermHash.of(tok)
                            name = String(decoding: tok, as: UTF8.self)
                        }
                    }
                }
                definitions.append("\(name) \(hash) \(def.kind) \(def.startLine)-\(max(def.startLine, def.endLine))")
            }
        }
    }

    private mutating func add(_ text: UnsafeBufferPointer<UInt8>, field: Int, _ scratch: inout [UInt8]) {
        Tokenizer.tokenize(text, scratch: &scratch) { tok, _ in count(TermHash.of(tok), field: field) }
    }

    private mutating func count(_ hash: UInt64, field: Int) {
        var c = counts[hash] ?? FieldCounts()
        switch field {
        case 0: c.path = c.path == .max ? c.path : c.path + 1; lengths.path += 1
        case 1: c.name = c.name == .max ? c.name : c.name + 1; lengths.name += 1
        case 2: c.comment = c.comment == .max ? c.comment : c.comment + 1; lengths.comment += 1
        default: c.code = c.code == .max ? c.code : c.code + 1; lengths.code += 1
        }
        counts[hash] = c
    }
}

/// The original per-byte code/comment splitter.
private struct ReferenceSplitter {
    let style: SourceLanguage.CommentStyle
    let singleQuoteStrings: Bool
    var inBlock = false

    init(style: SourceLanguage.CommentStyle, language: SourceLanguage) {
        self.style = style
        switch language {
        case .swift, .rust, .c, .cpp, .java, .kotlin, .csharp, .scala, .go: singleQuoteStrings = false
        default: singleQuoteStrings = true
        }
    }

    mutating func split(_ line: [UInt8], code: inout [UInt8], comment: inout [UInt8]) {
        code.removeAll()
        comment.removeAll()
        switch style {
        case .prose: comment = line; return
        case .none: code = line; return
        case .hash, .slash: break
        }
        let n = line.count
        var i = 0
        var quote: UInt8 = 0
        while i < n {
            let b = line[i]
            if inBlock {
                if b == 0x2A, i + 1 < n, line[i + 1] == 0x2F {
                    inBlock = false
                    comment.append(0x20)
                    i += 2
                    continue
                }
                comment.append(b)
                i += 1
                continue
            }
            if quote != 0 {
                if b == 0x5C {
                    code.append(b)
                    if i + 1 < n { code.append(line[i + 1]) }
                    i += 2
                    continue
                }
                if b == quote { quote = 0 }
                code.append(b == 0x7B || b == 0x7D ? 0x20 : b)
                i += 1
                continue
            }
            if b == 0x22 || (b == 0x27 && singleQuoteStrings) || (b == 0x60 && singleQuoteStrings) {
                quote = b
                code.append(b)
                i += 1
                continue
            }
            if style == .slash, b == 0x2F, i + 1 < n {
                let c = line[i + 1]
                if c == 0x2F { comment.append(contentsOf: line[(i + 2)..<n]); return }
                if c == 0x2A { inBlock = true; i += 2; continue }
            }
            if style == .hash, b == 0x23 { comment.append(contentsOf: line[(i + 1)..<n]); return }
            code.append(b)
            i += 1
        }
    }
}
