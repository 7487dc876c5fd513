import Foundation
import Testing

@testable import Memory

@Suite struct MemoryStoreRunTests {
    static func event(_ seq: Int, _ type: String = "log") -> [UInt8] {
        JSONValue.object(["seq": .int(Int64(seq)), "type": .string(type)]).serializedBytes() + [0x0A]
    }

    @Test func eventLog_appendsLinesExactlyAsGiven() throws {
        try withTemporaryDirectory { tmp throws in
            let store = try MemoryStore(directory: tmp(".raaid"))
            let log = try store.openEventLog(run: "run-1")
            for seq in 1...5 { try log.append(line: Self.event(seq)) }
            try log.sync()
            log.close()
            log.close()
            #expect(throws: MemoryError.self) { try log.append(line: Self.event(6)) }

            let expected = (1...5).flatMap { Self.event($0) }
            #expect(try RawFile.read(tmp(".raaid/runs/run-1/events.ndjson")) == expected)
            #expect(try store.readEvents(run: "run-1").count == 5)
            #expect(try store.runs() == ["run-1"])
        }
    }

    @Test(arguments: [0, 1, 3, 5, 6])
    func readEvents_sinceSeq_returnsThatSeqAndLater(since: Int) throws {
        try withTemporaryDirectory { tmp throws in
            let store = try MemoryStore(directory: tmp(".raaid"))
            let log = try store.openEventLog(run: "r")
            for seq in 1...5 { try log.append(line: Self.event(seq)) }
            try log.append(line: Array(#"{"seq":6,"type":"tor"#.utf8))  // a write in progress
            let lines = try store.readEvents(run: "r", sinceSeq: since)
            let seqs = try lines.map { try #require(JSONValue.parse($0)["seq"]?.intValue) }
            #expect(seqs == Array(max(1, since)..<6))
        }
    }

    @Test func openEventLog_afterACrash_quarantinesTheTornLine() throws {
        try withTemporaryDirectory { tmp throws in
            let store = try MemoryStore(directory: tmp(".raaid"))
            let first = try store.openEventLog(run: "r")
            try first.append(line: Self.event(1))
            try first.append(line: Array(#"{"seq":2,"ty"#.utf8))
            first.close()

            let reopened = try store.openEventLog(run: "r")
            try reopened.append(line: Self.event(2))
            reopened.close()
            #expect(
                try store.readEvents(run: "r")
                    == [Self.event(1), Self.event(2)].map { String(decoding: $0.dropLast(), as: UTF8.self) })
            #expect(try FileSystem.listDirectory(tmp(".raaid/quarantine")).count == 1)
        }
    }

    @Test func eventLog_concurrentAppends_doNotInterleave() throws {
        try withTemporaryDirectory { tmp throws in
            let store = try MemoryStore(directory: tmp(".raaid"))
            let log = try store.openEventLog(run: "r")
            let group = DispatchGroup()
            for thread in 0..<4 {
                group.enter()
                Thread.detachNewThread {
                    defer { group.leave() }
                    for n in 0..<250 {
                        try? log.append(line: Self.event(thread * 1000 + n, String(repeating: "x", count: 500)))
                    }
                }
            }
            group.wait()
            let lines = try store.readEvents(run: "r")
            #expect(lines.count == 1000)
            #expect(lines.allSatisfy { (try? JSONValue.parse($0)) != nil })
        }
    }

    @Test func runState_roundTrips_andIsReplacedAtomically() throws {
        try withTemporaryDirectory { tmp throws in
            let store = try MemoryStore(directory: tmp(".raaid"))
            #expect(try store.readRunState(run: "r") == nil)
            let state: JSONValue = ["status": "running", "phase": "research", "seq": 12, "nested": ["a": [1, nil]]]
            try store.writeRunState(run: "r", state)
            #expect(try store.readRunState(run: "r") == state)
            #expect(try store.readRunState(run: "r")?.serialized() == state.serialized(), "key order is kept")
            try store.writeRunState(run: "r", ["status": "done"])
            #expect(try store.readRunState(run: "r") == ["status": "done"])
            #expect(try FileSystem.listDirectory(tmp(".raaid/runs/r")) == ["run.json"])

            try RawFile.write(tmp(".raaid/runs/r/run.json"), Array("{".utf8))
            #expect(throws: MemoryError.self) { try store.readRunState(run: "r") }
        }
    }

    @Test func unknownRuns_andBadRunNames_areErrors() throws {
        try withTemporaryDirectory { tmp throws in
            let store = try MemoryStore(directory: tmp(".raaid"))
            #expect(throws: MemoryError.noSuchRun("nope")) { try store.readEvents(run: "nope") }
            #expect(throws: MemoryError.invalidRunName("../x")) { try store.openEventLog(run: "../x") }
            #expect(throws: MemoryError.invalidRunName("")) { try store.writeRunState(run: "", nil) }
            #expect(try store.runs().isEmpty)
        }
    }

    @Test func cacheDirectory_isCreatedOnDemand() throws {
        try withTemporaryDirectory { tmp throws in
            let store = try MemoryStore(directory: tmp(".raaid"))
            #expect(store.cacheDirectory == tmp(".raaid/cache"))
            #expect(try FileSystem.kind(of: store.cacheDirectory) == .missing)
            #expect(try store.ensureCacheDirectory() == tmp(".raaid/cache"))
            #expect(try FileSystem.kind(of: store.cacheDirectory) == .directory)
        }
    }
}
