import Testing

@testable import Memory

@Suite struct MemoryRecordTests {
    @Test(arguments: MemoryKind.all)
    func json_roundTrips_everyKind(_ kind: MemoryKind) throws {
        let record = MemoryRecord(
            kind: kind, data: ["path": "Sources/a.swift", "lines": [1, 2], "why": "é \"quoted\"\n"],
            session: "s-1", run: "run.7", phase: "planning")
        let line = record.json.serialized()
        let parsed = try MemoryRecord(json: try JSONValue.parse(line))
        #expect(parsed == record)
        #expect(parsed.json.serialized() == line)
    }

    @Test func json_hasKeysInFormatOrder() {
        let record = MemoryRecord(
            id: "01ARZ3NDEKTSV4RRFFQ69G5FAV", kind: .relatedFile, time: "2026-11-22T01:02:03.456Z", run: nil,
            session: "abc", phase: nil, scope: .global, data: ["path": "a", "score": 0.5])
        #expect(
            record.json.serialized()
                == #"{"v":1,"id":"01ARZ3NDEKTSV4RRFFQ69G5FAV","kind":"related_file","time":"2026-11-22T01:02:03.456Z","#
                + #""run":null,"session":"abc","phase":null,"scope":"global","data":{"path":"a","score":0.5}}"#)
    }

    @Test func kinds_haveTheirRawValues() {
        #expect(
            MemoryKind.all.map(\.rawValue) == [
                "fact", "snippet", "related_file", "research_note", "plan", "task", "work_log", "answer",
            ])
        #expect(MemoryKind.workLog.description == "work_log")
    }

    @Test func unknownKind_isKept() throws {
        let line =
            #"{"v":1,"id":"X","kind":"hologram","time":"t","run":null,"session":"s","phase":null,"#
            + #""scope":"session","data":{},"extra":true}"#
        let record = try MemoryRecord(json: try JSONValue.parse(line))
        #expect(record.kind == MemoryKind("hologram"))
        #expect(!MemoryKind.all.contains(record.kind))
    }

    @Test(arguments: [
        #"[]"#,
        #"{"v":2,"id":"X","kind":"fact","time":"t","run":null,"session":"s","phase":null,"scope":"session","data":{}}"#,
        #"{"v":1,"kind":"fact","time":"t","run":null,"session":"s","phase":null,"scope":"session","data":{}}"#,
        #"{"v":1,"id":"X","kind":"fact","time":"t","run":3,"session":"s","phase":null,"scope":"session","data":{}}"#,
        #"{"v":1,"id":"X","kind":"fact","time":"t","run":null,"session":"s","phase":null,"scope":"moon","data":{}}"#,
        #"{"v":1,"id":"X","kind":"fact","time":"t","run":null,"session":"s","phase":null,"scope":"session","data":1}"#,
    ])
    func invalidRecords_areRejected(_ line: String) throws {
        let value = try JSONValue.parse(line)
        #expect(throws: MemoryError.self) { try MemoryRecord(json: value) }
    }

    @Test func ids_areUniqueSortableULIDs() {
        let records = (0..<2000).map { _ in MemoryRecord.make() }
        let ids = records.map(\.id)
        #expect(Set(ids).count == ids.count)
        #expect(ids == ids.sorted())
        let alphabet = Set("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
        #expect(ids.allSatisfy { $0.count == 26 && $0.allSatisfy(alphabet.contains) })
        let byTime = records.sorted { ($0.time, $0.id) < ($1.time, $1.id) }
        #expect(byTime.map(\.id) == ids)
    }

    @Test func time_isRFC3339UTCWithMilliseconds() {
        #expect(RecordStamp.rfc3339(0) == "1970-01-01T00:00:00.000Z")
        #expect(RecordStamp.rfc3339(1_795_309_323_456) == "2026-11-22T01:02:03.456Z")
        #expect(RecordStamp.compact(1_795_309_323_456) == "20261122T010203456Z")
        #expect(RecordStamp.milliseconds(fromRFC3339: "2026-11-22T01:02:03.456Z") == 1_795_309_323_456)
        #expect(RecordStamp.milliseconds(fromRFC3339: "2026-11-22 01:02:03") == nil)
        let time = MemoryRecord.make().time
        #expect(time.count == 24 && time.hasSuffix("Z") && time.hasPrefix("20"))
    }

    @Test func revised_keepsIdAndAdvancesTime() {
        let record = MemoryRecord.make()
        let revised = record.revised(data: ["text": "changed"])
        #expect(revised.id == record.id)
        #expect(revised.time > record.time)
        #expect(revised.revised(data: [:]).time > revised.time)
        #expect(revised.data["text"] == "changed")
    }

    @Test func warning_descriptionNamesFileAndLine() {
        let warning = MemoryWarning(file: "sessions/abc/records.jsonl", line: 12, message: "corrupted record")
        #expect(warning.description == "sessions/abc/records.jsonl:12: corrupted record")
    }
}
