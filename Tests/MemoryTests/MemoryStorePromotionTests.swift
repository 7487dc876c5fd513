import Testing

@testable import Memory

@Suite struct MemoryStorePromotionTests {
    @Test func sessionRecords_areVisibleOnlyToTheirSessionUntilPromoted() throws {
        try withTemporaryDirectory { tmp throws in
            let store = try MemoryStore(directory: tmp(".raaid"))
            let fact = try store.append(.make(.fact, text: "uses flock", session: "a", run: "r1", phase: "research"))
            #expect(fact.scope == .session)
            #expect(try store.read(session: "a").records == [fact])
            #expect(try store.read(session: "b").records.isEmpty)
            #expect(try store.read(session: nil).records.isEmpty)

            let promoted = try store.promote(session: "a", run: "r1", phase: "research")
            #expect(promoted.map(\.id) == [fact.id])
            #expect(promoted.first?.scope == .global)
            #expect(promoted.first?.data == fact.data && promoted.first?.time == fact.time)

            #expect(try store.read(session: "b").records.map(\.id) == [fact.id])
            #expect(try store.read(session: nil).records.first?.scope == .global)
            let own = try store.read(session: "a")
            #expect(own.records.count == 1, "the session copy is dropped in favour of the global one")
            #expect(own.records.first?.scope == .global)
        }
    }

    @Test func promote_copiesOnlyTheMatchingRunAndPhase_andIsIdempotent() throws {
        try withTemporaryDirectory { tmp throws in
            let store = try MemoryStore(directory: tmp(".raaid"))
            let research = try store.append(contentsOf: [
                .make(.fact, text: "one", session: "a", run: "r1", phase: "research"),
                .make(.snippet, text: "two", session: "a", run: "r1", phase: "research"),
            ])
            try store.append(.make(.plan, text: "plan", session: "a", run: "r1", phase: "planning"))
            try store.append(.make(.fact, text: "other run", session: "a", run: "r2", phase: "research"))

            #expect(try store.promote(session: "a", run: "r1", phase: "research").map(\.id) == research.map(\.id))
            let globalFile = tmp(".raaid/global/records.jsonl")
            let before = try RawFile.read(globalFile)
            #expect(try store.promote(session: "a", run: "r1", phase: "research").isEmpty)
            #expect(try RawFile.read(globalFile) == before)
            #expect(try store.read(session: nil).records.map(\.id) == research.map(\.id))
        }
    }

    @Test func failedRun_thatNeverPromotes_leavesGlobalUnchanged() throws {
        try withTemporaryDirectory { tmp throws in
            let store = try MemoryStore(directory: tmp(".raaid"))
            try store.append(.make(text: "kept", session: "good", run: "r1"))
            _ = try store.promote(session: "good", run: "r1", phase: "research")
            let before = try RawFile.read(tmp(".raaid/global/records.jsonl"))

            try store.append(contentsOf: (0..<5).map { .make(text: "failed \($0)", session: "bad", run: "r2") })
            // The run fails here: no promote call.

            #expect(try RawFile.read(tmp(".raaid/global/records.jsonl")) == before)
            #expect(try store.read(session: "other").records.map(\.data["text"]) == ["kept"])
            #expect(try store.read(session: "bad").records.count == 6, "the failed session stays inspectable")
            #expect(try store.sessions() == ["bad", "good"])
        }
    }

    @Test func revisedRecord_laterVersionWins_andIsPromotedAgain() throws {
        try withTemporaryDirectory { tmp throws in
            let store = try MemoryStore(directory: tmp(".raaid"))
            let task = try store.append(
                MemoryRecord(kind: .task, data: ["status": "todo"], session: "a", run: "r", phase: "planning"))
            _ = try store.promote(session: "a", run: "r", phase: "planning")
            let done = try store.append(task.revised(data: ["status": "done"]))

            #expect(try store.read(session: "a").records == [done])
            #expect(try store.read(session: nil).records.first?.data["status"] == "todo")
            #expect(try store.promote(session: "a", run: "r", phase: "planning").count == 1)
            #expect(try store.read(session: nil).records.first?.data["status"] == "done")
            #expect(try store.readAll().records.count == 1)
        }
    }

    @Test func read_filtersByKind_andOrdersByTimeThenId() throws {
        try withTemporaryDirectory { tmp throws in
            let store = try MemoryStore(directory: tmp(".raaid"))
            let records = try store.append(contentsOf: MemoryKind.all.map { .make($0, session: "s") })
            #expect(try store.read(session: "s").records == records)
            for kind in MemoryKind.all {
                #expect(try store.read(session: "s", kind: kind).records.map(\.kind) == [kind])
            }
            #expect(try store.readAll(kind: .plan).records.count == 1)
        }
    }

    @Test func search_matchesEveryTermCaseInsensitively() throws {
        try withTemporaryDirectory { tmp throws in
            let store = try MemoryStore(directory: tmp(".raaid"))
            try store.append(.make(.fact, text: "The Parser lives in JSONValue+Parse.swift", session: "s"))
            try store.append(.make(.fact, text: "the parser is recursive", session: "s"))
            try store.append(.make(.snippet, text: "parser tests", session: "other"))
            #expect(try store.search("PARSER", session: "s", kind: nil).records.count == 2)
            #expect(try store.search("parser  jsonvalue", session: "s", kind: nil).records.count == 1)
            #expect(try store.search("parser", session: "s", kind: .snippet).records.isEmpty)
            #expect(try store.search("", session: "s", kind: nil).records.count == 2)
        }
    }

    @Test(arguments: ["", ".hidden", "a/b", "..", "spa ce", String(repeating: "x", count: 129), "é"])
    func invalidSessionNames_areRefused(_ name: String) throws {
        try withTemporaryDirectory { tmp throws in
            let store = try MemoryStore(directory: tmp(".raaid"))
            #expect(throws: MemoryError.invalidSessionName(name)) { try store.append(.make(session: name)) }
            #expect(throws: MemoryError.invalidSessionName(name)) { try store.read(session: name) }
            #expect(throws: MemoryError.invalidSessionName(name)) { try store.wipe(session: name) }
            #expect(try FileSystem.kind(of: tmp(".raaid/sessions")) == .missing)
        }
    }
}
