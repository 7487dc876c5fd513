import Foundation
import Synchronization
import Testing

@testable import Phases

@Suite struct ResearchEngineTests {
    @Test func fileDefiningNamedSymbol_ranksFirst_testsAndDocsAfterSources() throws {
        let ws = try TempWorkspace.makeFixture()
        defer { ws.remove() }
        let result = try ResearchEngine(workspace: ws.root).run(
            task: "Reject oversized payload lengths in `WebSocketFrameDecoder`\n\nCheck the `Frame` payload size.")
        let paths = result.relatedFiles.map(\.path)
        #expect(paths.first == "Sources/Net/FrameDecoder.swift")
        #expect(result.relatedFiles.first?.why.contains("defines `WebSocketFrameDecoder`") == true)
        let test = try #require(paths.firstIndex(of: "Tests/NetTests/WebSocketFrameDecoderTests.swift"))
        let doc = try #require(paths.firstIndex(of: "docs/websocket.md"))
        let source = try #require(paths.firstIndex(of: "Sources/Net/Frame.swift"))
        #expect(source < test)
        #expect(source < doc)
        #expect(result.facts.contains { $0.contains("`WebSocketFrameDecoder`, defined in Sources/Net/FrameDecoder.swift:2") })
        #expect(result.note.contains("## Where to look"))
    }

    @Test func snippet_coversTheDefinitionLines() throws {
        let ws = try TempWorkspace.makeFixture()
        defer { ws.remove() }
        var options = ResearchOptions()
        options.maxSnippets = 2
        let result = try ResearchEngine(workspace: ws.root, options: options).run(
            task: "WebSocketFrameDecoder should reject big frames")
        let snippet = try #require(result.snippets.first)
        #expect(snippet.path == "Sources/Net/FrameDecoder.swift")
        #expect(snippet.symbol == "WebSocketFrameDecoder")
        #expect(snippet.startLine == 2)
        #expect(snippet.endLine == 11)
        #expect(snippet.text.hasPrefix("public struct WebSocketFrameDecoder {"))
        #expect(snippet.text.split(separator: "\n", omittingEmptySubsequences: false).count == 10)
        #expect(result.snippets.count <= 2)
    }

    @Test func cache_secondRunReadsNothing_thenOnlyTheChangedFile() throws {
        let ws = try TempWorkspace.makeFixture()
        defer { ws.remove() }
        var options = ResearchOptions()
        options.cacheDirectory = try ws.makeCacheDirectory()
        let engine = ResearchEngine(workspace: ws.root, options: options)
        let task = "frame decoder payload"
        let first = try engine.run(task: task)
        #expect(first.stats.filesIndexed == 6)
        #expect(first.stats.filesFromCache == 0)
        let second = try engine.run(task: task)
        #expect(second.stats.filesIndexed == 0)
        #expect(second.stats.filesFromCache == 6)
        #expect(second.relatedFiles == first.relatedFiles)
        try ws.write("Sources/Net/Server.swift", "final class Server { func start() { /* frame decoder payload */ } }\n")
        let third = try engine.run(task: task)
        #expect(third.stats.filesIndexed == 1)
        #expect(third.stats.filesFromCache == 5)
        #expect(third.relatedFiles.contains { $0.path == "Sources/Net/Server.swift" && $0.why.contains("payload") })
    }

    @Test func cache_writtenInPlace_isReadBackTheSame_andLeavesNoTemporaryFiles() throws {
        let ws = try TempWorkspace.makeFixture()
        defer { ws.remove() }
        var options = ResearchOptions()
        let cacheDir = try ws.makeCacheDirectory()
        options.cacheDirectory = cacheDir
        let engine = ResearchEngine(workspace: ws.root, options: options)
        let task = "frame decoder payload server"
        let cold = try engine.run(task: task)
        try ws.write("Sources/Net/Server.swift", "final class Server { func start() { /* frame payload */ } }\n")
        // One file indexed into the next cache file, five blocks copied there from the previous one.
        let partial = try engine.run(task: task)
        #expect(partial.stats.filesIndexed == 1 && partial.stats.filesFromCache == 5)
        let warm = try engine.run(task: task)
        #expect(warm.stats.filesFromCache == 6)
        #expect(warm.relatedFiles == partial.relatedFiles)
        #expect(warm.snippets.map(\.text) == partial.snippets.map(\.text))
        // A cold build of the changed workspace agrees with the incremental one.
        let fresh = try ResearchEngine(workspace: ws.root).run(task: task)
        #expect(fresh.relatedFiles == warm.relatedFiles)
        #expect(cold.stats.filesIndexed == 6)
        let names = try FileManager.default.contentsOfDirectory(atPath: cacheDir)
        #expect(names.count == 1 && !names[0].contains(".tmp-"), "\(names)")
    }

    @Test func corruptedCache_isIgnoredAndRebuilt() throws {
        let ws = try TempWorkspace.makeFixture()
        defer { ws.remove() }
        var options = ResearchOptions()
        let cacheDir = try ws.makeCacheDirectory()
        options.cacheDirectory = cacheDir
        let engine = ResearchEngine(workspace: ws.root, options: options)
        let reference = try engine.run(task: "frame decoder")
        let cacheFile = IndexCache.path(directory: cacheDir, root: engine.workspace)
        var bytes = try Array(Data(contentsOf: URL(fileURLWithPath: cacheFile)))
        for i in stride(from: 40, to: bytes.count, by: 7) { bytes[i] ^= 0x5A }
        try Data(bytes.prefix(bytes.count - 3)).write(to: URL(fileURLWithPath: cacheFile))
        let rebuilt = try engine.run(task: "frame decoder")
        #expect(rebuilt.stats.filesFromCache == 0)
        #expect(rebuilt.relatedFiles == reference.relatedFiles)
        let again = try engine.run(task: "frame decoder")
        #expect(again.stats.filesFromCache == 6)
        try Data("RAAIDIX\0garbage".utf8).write(to: URL(fileURLWithPath: cacheFile))
        #expect(try engine.run(task: "frame decoder").stats.filesFromCache == 0)
    }

    @Test func binaryFiles_areSkipped() throws {
        let ws = try TempWorkspace.makeFixture()
        defer { ws.remove() }
        try Data([0x66, 0x72, 0x61, 0x6D, 0x65, 0x00, 0x01]).write(to: URL(fileURLWithPath: ws.root + "/Sources/Net/blob.json"))
        let result = try ResearchEngine(workspace: ws.root).run(task: "frame")
        #expect(result.stats.skipped["binary"] == 1)
        #expect(!result.relatedFiles.contains { $0.path.hasSuffix("blob.json") })
    }

    @Test func cancellation_throwsCancellationError() throws {
        let ws = try TempWorkspace.makeFixture()
        defer { ws.remove() }
        #expect(throws: CancellationError.self) {
            _ = try ResearchEngine(workspace: ws.root).run(task: "frame", shouldCancel: { true })
        }
        let polls = Atomic<Int>(0)
        #expect(throws: CancellationError.self) {
            _ = try ResearchEngine(workspace: ws.root).run(
                task: "frame", shouldCancel: { polls.add(1, ordering: .relaxed).newValue > 2 })
        }
    }

    @Test func progress_isReportedPerStage() throws {
        let ws = try TempWorkspace.makeFixture()
        defer { ws.remove() }
        let stages = Mutex<[String]>([])
        _ = try ResearchEngine(workspace: ws.root).run(task: "frame") { p in stages.withLock { $0.append(p.stage) } }
        let seen = stages.withLock { $0 }
        #expect(seen.contains("walk") && seen.contains("index") && seen.contains("rank"))
        #expect(seen.count < 10)
    }
}

@Suite struct SnippetAndNoteTests {
    @Test func snippets_pointAtMatchingMembers_notExtensionHeaders() throws {
        let ws = try TempWorkspace()
        defer { ws.remove() }
        try ws.write(
            "Sources/Store/Store.swift",
            """
            public final class Store {
                let directory: String
                init(directory: String) { self.directory = directory }
            }
            """)
        try ws.write(
            "Sources/Store/Store+Files.swift",
            """
            extension Store {
                /// Reads every record.
                func readAll() -> [String] {
                    return []
                }

                /// Appends lines durably: takes the exclusive file lock, writes, then calls fsync.
                func appendLines(_ lines: [String]) throws {
                    try FileLock.withLock(directory) {
                        write(lines)
                        fsync()
                    }
                }
            }
            """)
        try ws.write(
            "Sources/Store/FileLock.swift",
            """
            enum FileLock {
                /// Runs `body` while holding an exclusive lock on the directory.
                static func withLock<T>(_ path: String, _ body: () throws -> T) rethrows -> T {
                    try body()
                }
            }
            """)
        let result = try ResearchEngine(workspace: ws.root).run(
            task: "how Store takes the file lock and appends durably")
        #expect(!result.snippets.contains { $0.text.hasPrefix("extension Store {") })
        let append = try #require(result.snippets.first { $0.symbol == "appendLines" })
        #expect(append.path == "Sources/Store/Store+Files.swift")
        #expect(append.startLine == 8 && append.endLine == 13)
        #expect(result.snippets.contains { $0.symbol == "withLock" })
        #expect(result.note.contains("## Key definitions"))
        #expect(result.note.contains("`appendLines` at `Sources/Store/Store+Files.swift:8`"))
    }

    @Test func note_isShort_namesNewSymbols_andCommands() throws {
        let ws = try TempWorkspace.makeFixture()
        defer { ws.remove() }
        let result = try ResearchEngine(workspace: ws.root).run(
            task: "Add `maxMessageSize` to WebSocketFrameDecoder\n\nReject frames above it.")
        let note = result.note
        #expect(note.contains("No file defines (new, or from a dependency): `maxMessageSize`"))
        #expect(note.contains("## Where to look"))
        #expect(note.contains("`WebSocketFrameDecoder` at `Sources/Net/FrameDecoder.swift:2`"))
        #expect(note.contains("## Commands") && note.contains("- Test: `swift test`"))
        #expect(note.split(separator: "\n").count <= 25)
    }
}
