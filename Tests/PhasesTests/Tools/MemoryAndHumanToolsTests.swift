import Foundation
import Memory
import Testing

@testable import Phases

@Suite struct MemoryAndHumanToolsTests {
    @Test func memoryTools_writeSessionRecords_withTheRightKinds() async throws {
        let fixture = try ToolFixture()
        defer { fixture.remove() }
        try fixture.write("Sources/a.swift", "line 1\nline 2\nline 3\n")
        let store = try fixture.memory()
        let context = fixture.context(memory: store)
        let calls: [(String, JSONValue, MemoryKind)] = [
            ("record_fact", ["fact": "Tests use Swift Testing."], .fact),
            ("research_note", ["note": "# Findings\nAll good."], .researchNote),
            ("record_related_file", ["path": "Sources/a.swift", "why": "entry point", "score": 0.9], .relatedFile),
            ("record_snippet", ["path": "Sources/a.swift", "start_line": 2, "end_line": 3, "why": "core"], .snippet),
        ]
        for (tool, input, kind) in calls {
            let output = try await ToolRegistry.standard().call(tool, input: input, context: context)
            #expect(!output.isError, "\(tool): \(output.text)")
            #expect(output.metadata["memory_written"]?["kind"] == .string(kind.rawValue))
            #expect(output.metadata["memory_written"]?["scope"] == "session")
        }
        let records = try store.read(session: "s-test").records
        #expect(records.map(\.kind) == [.fact, .researchNote, .relatedFile, .snippet])
        #expect(records.allSatisfy { $0.session == "s-test" && $0.run == "r-test" && $0.phase == "research" })
        #expect(records[0].data["text"] == "Tests use Swift Testing.")
        #expect(records[0].data["source"] == "model")
        #expect(records[2].data["path"] == "Sources/a.swift" && records[2].data["score"] == 0.9)
        #expect(records[3].data["text"] == "line 2\nline 3")
        #expect(records[3].data["start_line"] == 2 && records[3].data["end_line"] == 3)
    }

    @Test func memoryTools_errors() async throws {
        let fixture = try ToolFixture()
        defer { fixture.remove() }
        let store = try fixture.memory()
        let noStore = try await call("record_fact", ["fact": "x"], in: fixture)
        #expect(noStore.isError && noStore.metadata["error_code"] == "unavailable")
        let context = fixture.context(memory: store)
        let registry = ToolRegistry.standard()
        let empty = try await registry.call("record_fact", input: ["fact": "  "], context: context)
        #expect(empty.isError)
        let missingFile = try await registry.call(
            "record_related_file", input: ["path": "nope.swift", "why": "x"], context: context)
        #expect(missingFile.isError && missingFile.metadata["error_code"] == "not_found")
        let escape = try await registry.call(
            "record_snippet", input: ["path": "../x", "start_line": 1, "end_line": 1, "why": "x"], context: context)
        #expect(escape.metadata["error_code"] == "path_escape")
        #expect(try store.read(session: "s-test").records.isEmpty)
    }

    @Test func askHuman_answersFromAFile_byIdThenText() async throws {
        let fixture = try ToolFixture()
        defer { fixture.remove() }
        let path = fixture.base + "/answers.json"
        try #"{"db-choice": "Use SQLite", "Keep the old API?": "yes", "Max retries?": 3}"#
            .write(toFile: path, atomically: true, encoding: .utf8)
        let channel = try AnswersFileChannel(path: path)
        let store = try fixture.memory()
        var context = fixture.context(memory: store, human: channel)
        context.phase = "implementation"
        let registry = ToolRegistry.standard()
        let byID = try await registry.call(
            "ask_human", input: ["question": "Which database?", "id": "db-choice"], context: context)
        #expect(byID.text == "The human answered: Use SQLite")
        #expect(byID.metadata["answered"] == true && byID.metadata["source"] == "answers_file")
        let byText = try await registry.call("ask_human", input: ["question": "keep the  old API?"], context: context)
        #expect(byText.text == "The human answered: yes")
        let number = try await registry.call("ask_human", input: ["question": "Max retries?"], context: context)
        #expect(number.text == "The human answered: 3")
        let unknown = try await registry.call(
            "ask_human", input: ["question": "Rename it?", "id": "rename"], context: context)
        #expect(!unknown.isError && unknown.metadata["answered"] == false)
        #expect(unknown.text.contains("no answer for this question (add one under \"rename\")"))
        let answers = try store.read(session: "s-test", kind: .answer).records
        #expect(answers.count == 3)
        #expect(answers[0].data["answer"] == "Use SQLite" && answers[0].data["question_id"] == "db-choice")
    }

    @Test func askHuman_declinedWithoutAnswers() async throws {
        let fixture = try ToolFixture()
        defer { fixture.remove() }
        let output = try await call("ask_human", ["question": "Proceed?"], in: fixture)
        #expect(!output.isError)
        #expect(output.metadata["answered"] == false)
        #expect(output.text.hasPrefix("No answer. No human is available in this run"))
    }

    @Test func answersFile_rejectsBadContent() {
        #expect(throws: ToolError.self) { try AnswersFileChannel(json: "[1, 2]") }
        #expect(throws: ToolError.self) { try AnswersFileChannel(json: "{\"a\": {\"b\": 1}}") }
        #expect(throws: ToolError.self) { try AnswersFileChannel(json: "{nope") }
        #expect(throws: ToolError.self) { try AnswersFileChannel(path: "/nonexistent/answers.json") }
    }
}
