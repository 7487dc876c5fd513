import Synchronization
import Testing

@testable import Memory

@Suite struct MemoryStoreMaintenanceTests {
    struct InjectedFailure: Error {}

    @Test func wipe_oneSession_keepsGlobalAndOtherSessions() throws {
        try withTemporaryDirectory { tmp throws in
            let store = try MemoryStore(directory: tmp(".raaid"))
            try store.append(.make(text: "promoted", session: "a", run: "r"))
            _ = try store.promote(session: "a", run: "r", phase: "research")
            try store.append(.make(text: "a only", session: "a"))
            try store.append(.make(text: "b only", session: "b"))

            try store.wipe(session: "a")
            #expect(try store.sessions() == ["b"])
            #expect(try store.read(session: "a").records.map(\.data["text"]) == ["promoted"])
            #expect(try store.read(session: "b").records.count == 2)
            #expect(try FileSystem.listDirectory(tmp(".raaid/sessions")) == ["b"], "no hidden leftovers")
            try store.wipe(session: "never-existed")
        }
    }

    @Test func wipe_all_removesEveryRecord_butKeepsRunsFormatAndCache() throws {
        try withTemporaryDirectory { tmp throws in
            let store = try MemoryStore(directory: tmp(".raaid"))
            try store.append(.make(session: "a", run: "r"))
            _ = try store.promote(session: "a", run: "r", phase: "research")
            try store.append(.make(session: "b"))
            try store.writeRunState(run: "r", ["status": "done"])
            try store.ensureCacheDirectory()

            try store.wipe(session: nil)
            #expect(try store.readAll().records.isEmpty)
            #expect(try store.sessions().isEmpty)
            #expect(try store.runs() == ["r"])
            #expect(try store.readRunState(run: "r") == ["status": "done"])
            #expect(try FileSystem.kind(of: tmp(".raaid/format.json")) == .file)
            #expect(try FileSystem.kind(of: store.cacheDirectory) == .directory)
            #expect(!(try FileSystem.listDirectory(tmp(".raaid")).contains { $0.hasPrefix(".wiped-") }))
            try store.append(.make(session: "c"))
            #expect(try store.readAll().records.count == 1, "the store still works after a wipe")
        }
    }

    @Test func compact_keepsTheLastLinePerId() throws {
        try withTemporaryDirectory { tmp throws in
            let store = try MemoryStore(directory: tmp(".raaid"))
            let task = try store.append(MemoryRecord(kind: .task, data: ["status": "todo"], session: "s"))
            let other = try store.append(.make(session: "s"))
            let doing = try store.append(task.revised(data: ["status": "doing"]))
            let done = try store.append(doing.revised(data: ["status": "done"]))
            let before = try store.read(session: "s")

            let report = try store.compact()
            #expect(report.rewrittenFiles == ["sessions/s/records.jsonl"])
            #expect(report.removedLines == 2)
            #expect(report.warnings.isEmpty)
            let lines = try RawFile.text(tmp(".raaid/sessions/s/records.jsonl")).split(separator: "\n")
            #expect(lines.map(String.init) == [other.json.serialized(), done.json.serialized()])
            #expect(try store.read(session: "s") == before)
            #expect(try store.compact() == MemoryCompactionReport(), "a second compaction has nothing to do")
            #expect(try FileSystem.listDirectory(tmp(".raaid/sessions/s")) == ["records.jsonl"], "no temp files left")
        }
    }

    @Test func compact_failingBeforeRename_leavesTheOriginalIntact() throws {
        try withTemporaryDirectory { tmp throws in
            let store = try MemoryStore(directory: tmp(".raaid"))
            let record = try store.append(.make(session: "s"))
            try store.append(record.revised(data: ["text": "v2"]))
            let file = tmp(".raaid/sessions/s/records.jsonl")
            let original = try RawFile.read(file)
            store.hooks.withLock { hooks in
                hooks.beforeCompactionRename = { temporary in
                    // The temporary file is complete and durable here; fail as a crash or full disk would.
                    #expect(temporary.hasPrefix(tmp(".raaid/sessions/s/.records.jsonl.tmp.")))
                    throw InjectedFailure()
                }
            }
            #expect(throws: InjectedFailure.self) { try store.compact() }
            #expect(try RawFile.read(file) == original)
            #expect(try FileSystem.listDirectory(tmp(".raaid/sessions/s")) == ["records.jsonl"])

            store.hooks.withLock { $0.beforeCompactionRename = nil }
            #expect(try store.compact().removedLines == 1)
        }
    }

    @Test func compact_failingToWriteTheTemporaryFile_leavesTheOriginalIntact() throws {
        try withTemporaryDirectory { tmp throws in
            let store = try MemoryStore(directory: tmp(".raaid"))
            let record = try store.append(.make(session: "s"))
            try store.append(record.revised(data: ["text": "v2"]))
            let file = tmp(".raaid/sessions/s/records.jsonl")
            let original = try RawFile.read(file)
            store.hooks.withLock { hooks in
                hooks.beforeCompactionRename = { temporary in
                    // Simulate a short write: the temp file loses its content before the rename.
                    try RawFile.write(temporary, Array("{\"v\":1,\"id\":".utf8))
                    throw MemoryError.io(path: temporary, operation: "write", errno: 28)
                }
            }
            #expect(throws: MemoryError.self) { try store.compact() }
            #expect(try RawFile.read(file) == original)
            #expect(try store.read(session: "s").records.count == 1)
        }
    }
}
