import Synchronization
import Testing

@testable import Memory

@Suite struct MemoryStoreCrashTests {
    static let goodCount = 3
    static let sessionFile = "sessions/s/records.jsonl"

    /// The record whose write is interrupted, with a fixed id and time so its line is known up front.
    static let tornRecord = MemoryRecord(
        id: "01JDZZZZZZZZZZZZZZZZZZZZZZ", kind: .snippet, time: "2099-01-01T00:00:00.000Z", run: "r", session: "s",
        phase: "research", scope: .session, data: ["path": "a.swift", "text": "let π = 3.14 // ünïcode"])
    static let tornLine = tornRecord.line

    @Test(arguments: 0...tornLine.count)
    func crashAtEveryByte_ofTheLastRecord_isSkippedThenQuarantined(prefixLength: Int) throws {
        try withTemporaryDirectory { tmp throws in
            let store = try MemoryStore(directory: tmp(".raaid"))
            let written = Mutex<[MemoryWarning]>([])
            store.onWarning = { warning in written.withLock { $0.append(warning) } }
            let good = try store.append(
                contentsOf: (0..<Self.goodCount).map { .make(text: "good \($0)", session: "s") })
            let file = tmp(".raaid/" + Self.sessionFile)
            let goodBytes = try RawFile.read(file)
            let prefix = Array(Self.tornLine[0..<prefixLength])
            try RawFile.write(file, prefix, append: true)

            let isComplete = prefixLength == Self.tornLine.count
            let isTorn = prefixLength > 0 && !isComplete
            let result = try store.read(session: "s")
            #expect(result.records == good + (isComplete ? [Self.tornRecord] : []), "the fixed time sorts last")
            if isTorn {
                let warning = try #require(result.warnings.first)
                #expect(result.warnings.count == 1)
                #expect(warning.file == Self.sessionFile)
                #expect(warning.line == Self.goodCount + 1)
                #expect(warning.message.hasPrefix("torn last line (\(prefixLength) bytes"))
            } else {
                #expect(result.warnings.isEmpty)
            }

            let next = try store.append(.make(text: "after the crash", session: "s"))
            let after = try RawFile.read(file)
            #expect(Array(after.prefix(goodBytes.count)) == goodBytes, "earlier records are untouched")
            #expect(after.last == 0x0A)
            let reread = try store.read(session: "s")
            #expect(reread.warnings.isEmpty)
            let expected = good + (isComplete ? [Self.tornRecord] : []) + [next]
            #expect(reread.records == expected.sorted { ($0.time, $0.id) < ($1.time, $1.id) })

            let quarantined = try FileSystem.listDirectory(tmp(".raaid/quarantine"))
            #expect(quarantined.count == (isTorn ? 1 : 0))
            #expect(written.withLock { $0.count } == (isTorn ? 1 : 0))
            if isTorn, let name = quarantined.first {
                #expect(name.hasPrefix("sessions.s.records.jsonl.") && name.hasSuffix(".torn"))
                #expect(try RawFile.read(tmp(".raaid/quarantine/" + name)) == prefix)
                #expect(written.withLock { $0.first?.message.contains("quarantine/" + name) } == true)
            }
        }
    }

    @Test func corruptedLineInTheMiddle_isReported_andKeptByCompactionAndAppend() throws {
        try withTemporaryDirectory { tmp throws in
            let store = try MemoryStore(directory: tmp(".raaid"))
            let first = try store.append(.make(text: "first", session: "abc"))
            let file = tmp(".raaid/sessions/abc/records.jsonl")
            let garbage = Array(#"{"v":1,"id":"broken","kind"#.utf8) + [0xFF] + Array("oops\n".utf8)
            try RawFile.write(file, garbage, append: true)
            let second = try store.append(.make(text: "second", session: "abc"))
            let revised = try store.append(first.revised(data: ["text": "first, revised"]))

            let result = try store.read(session: "abc")
            #expect(Set(result.records.map(\.id)) == [first.id, second.id])
            #expect(result.records.first { $0.id == first.id } == revised)
            let warning = try #require(result.warnings.first)
            #expect(result.warnings.count == 1)
            #expect(warning.file == "sessions/abc/records.jsonl")
            #expect(warning.line == 2)
            #expect(
                warning.description.hasPrefix("sessions/abc/records.jsonl:2: corrupted record (invalid JSON at byte"))
            #expect(warning.description.hasSuffix("; kept in place, skipped on read"))

            let report = try store.compact()
            #expect(report.rewrittenFiles == ["sessions/abc/records.jsonl"])
            #expect(report.removedLines == 1)
            #expect(report.warnings.map(\.line) == [2])
            let compacted = RecordFile(bytes: try RawFile.read(file))
            #expect(compacted.lines.count == 3)
            #expect(Array(compacted.bytes[compacted.lines[0].range]) + [0x0A] == garbage)
            #expect(compacted.lines.map(\.record?.id) == [nil, second.id, first.id])
            #expect(try store.read(session: "abc").records == result.records)

            try store.append(.make(text: "third", session: "abc"))
            let appended = try RawFile.read(file)
            #expect(Array(appended.prefix(garbage.count)) == garbage)
            #expect(try store.read(session: "abc").warnings.map(\.line) == [1])
        }
    }
}
