import Foundation
import Memory
import Testing

/// Bad input: one clear line on stderr, an `error` event, a `run.completed` with the documented exit
/// code, and nothing already in memory lost.
@Suite struct BadInputTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var arguments: @Sendable (URL) throws -> [String]
        var stdin: Data? = nil
        var code: String
        var exitCode: Int32
        var stderrContains: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "missing task file", arguments: { _ in ["run", "nope.md"] }, code: "task_not_found", exitCode: 2,
             stderrContains: "task file 'nope.md' does not exist; pass an existing Markdown file"),
        Case(name: "task path through a file", arguments: { dir in
            try Fixtures.write("x", to: "plain.txt", in: dir)
            return ["run", dir.appendingPathComponent("plain.txt/task.md").path]
        }, code: "task_not_found", exitCode: 2, stderrContains: "does not exist"),
        Case(name: "unreadable task file", arguments: { _ in ["run", "/proc/1/mem"] }, code: "task_unreadable",
             exitCode: 2, stderrContains: "cannot be read"),
        Case(name: "empty task file", arguments: { dir in
            ["run", try Fixtures.write("  \n\t\n", to: "empty.md", in: dir).path]
        }, code: "task_empty", exitCode: 2, stderrContains: "is empty; write what raaid should do"),
        Case(name: "empty message", arguments: { _ in ["run", "-m", ""] }, code: "task_empty", exitCode: 2,
             stderrContains: "the task given with --message is empty"),
        Case(name: "empty stdin", arguments: { _ in ["run", "-"] }, stdin: Data(), code: "task_empty", exitCode: 2,
             stderrContains: "the task on standard input is empty"),
        Case(name: "directory as task", arguments: { dir in ["run", dir.path] }, code: "task_is_directory",
             exitCode: 2, stderrContains: "is a directory; pass a task file"),
        Case(name: "binary task", arguments: { dir in
            let url = dir.appendingPathComponent("bin.md")
            try Data([0x66, 0x69, 0x78, 0x00, 0x01]).write(to: url)
            return ["run", url.path]
        }, code: "task_not_text", exitCode: 2, stderrContains: "looks binary (NUL byte at offset 3)"),
        Case(name: "non-UTF-8 task", arguments: { dir in
            let url = dir.appendingPathComponent("latin1.md")
            try Data([0x63, 0x61, 0x66, 0xE9, 0x0A]).write(to: url)
            return ["run", url.path]
        }, code: "task_not_utf8", exitCode: 2, stderrContains: "is not valid UTF-8 (byte 0xE9 at offset 3)"),
        Case(name: "missing workspace", arguments: { dir in
            ["run", "-m", "x", "--workspace", dir.appendingPathComponent("missing").path]
        }, code: "workspace_not_found", exitCode: 2, stderrContains: "pass an existing directory with --workspace"),
        Case(name: "workspace is a file", arguments: { dir in
            ["run", "-m", "x", "--workspace", try Fixtures.write("x", to: "file.txt", in: dir).path]
        }, code: "workspace_not_directory", exitCode: 2, stderrContains: "is not a directory"),
        Case(name: "memory dir not writable", arguments: { _ in
            ["run", "-m", "x", "--memory-dir", "/proc/self/raaid-memory"]
        }, code: "memory_unavailable", exitCode: 3, stderrContains: "/proc/self/raaid-memory"),
        Case(name: "task file and message", arguments: { dir in
            ["run", try Fixtures.write("x", to: "t.md", in: dir).path, "-m", "y"]
        }, code: "conflicting_options", exitCode: 2, stderrContains: "pass only one of them"),
        Case(name: "progress and quiet", arguments: { _ in ["run", "-m", "x", "--progress", "--quiet"] },
             code: "conflicting_options", exitCode: 2, stderrContains: "--progress and --quiet cannot be used together"),
        Case(name: "no task", arguments: { _ in ["run", "--research-only"] }, code: "missing_task", exitCode: 2,
             stderrContains: "no task given"),
        Case(name: "provider without a key", arguments: { _ in ["run", "-m", "x", "--provider", "anthropic"] },
             code: "missing_api_key", exitCode: 3, stderrContains: "ANTHROPIC_API_KEY is not set"),
        Case(name: "replay file missing", arguments: { _ in ["run", "-m", "x", "--replay", "nope.jsonl"] },
             code: "replay_unreadable", exitCode: 3, stderrContains: "replay file nope.jsonl does not exist"),
        Case(name: "bad allow rule", arguments: { _ in ["run", "-m", "x", "--provider", "openai", "--base-url", "http://127.0.0.1:9", "--allow", "exec(rm)"] },
             code: "invalid_value", exitCode: 2, stderrContains: "invalid --allow rule 'exec(rm)'"),
        Case(name: "research-only and plan-only", arguments: { _ in ["run", "-m", "x", "--research-only", "--plan-only"] },
             code: "conflicting_options", exitCode: 2, stderrContains: "cannot be used together"),
        Case(name: "resume unknown run", arguments: { _ in ["run", "--resume", "20990101T000000Z-000000"] },
             code: "unknown_run", exitCode: 2, stderrContains: "no such run"),
        Case(name: "negative cost limit", arguments: { _ in ["run", "-m", "x", "--max-cost", "-1"] },
             code: "invalid_value", exitCode: 2, stderrContains: "--max-cost"),
        Case(name: "bad session name", arguments: { _ in ["run", "-m", "x", "--session", "../etc"] },
             code: "invalid_value", exitCode: 2, stderrContains: "invalid session name '../etc'"),
    ]

    @Test(arguments: cases)
    func badInput_reportsClearlyAndKeepsMemory(_ testCase: Case) async throws {
        let workspace = try Fixtures.makeSwiftWorkspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let seeded = try await RaaidProcess.run(["run", "-m", "tokenizer", "--research-only", "-q"], in: workspace)
        #expect(seeded.exitCode == 0)
        let before = try await RaaidProcess.run(["memory", "export"], in: workspace).stdout
        #expect(!before.isEmpty)

        let output = try await RaaidProcess.run(try testCase.arguments(workspace), in: workspace, stdin: testCase.stdin)
        #expect(output.exitCode == testCase.exitCode)
        let stderrLines = output.stderr.split(separator: "\n")
        #expect(stderrLines.count == 1, "one clear line on stderr, got: \(output.stderr)")
        #expect(output.stderr.hasPrefix("Error: "))
        #expect(output.stderr.contains(testCase.stderrContains), "stderr: \(output.stderr)")
        let events = try EventStreamChecks.check(output.lines)
        #expect(events.count == 2)
        #expect(events.first?["type"]?.stringValue == "error")
        #expect(events.first?["code"]?.stringValue == testCase.code)
        #expect(events.first?["fatal"]?.boolValue == true)
        #expect(events.last?["exit_code"]?.intValue == Int(testCase.exitCode))
        #expect(events.last?["status"]?.stringValue == "failed")

        let after = try await RaaidProcess.run(["memory", "export"], in: workspace).stdout
        #expect(after == before, "memory unchanged by a failed start")
    }

    @Test func unknownFormatVersion_refusedWithoutTouchingMemory() async throws {
        let workspace = try Fixtures.makeSwiftWorkspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        #expect(try await RaaidProcess.run(["run", "-m", "tokenizer", "--research-only", "-q"], in: workspace).exitCode == 0)
        let memory = workspace.appendingPathComponent(".raaid")
        let formatFile = memory.appendingPathComponent("format.json")
        try Data(#"{"format":"raaid-memory","version":99}"#.utf8).write(to: formatFile)
        let records = try Data(contentsOf: memory.appendingPathComponent("global/records.jsonl"))

        let output = try await RaaidProcess.run(["run", "-m", "tokenizer", "--research-only"], in: workspace)
        #expect(output.exitCode == 3)
        #expect(output.stderr.split(separator: "\n").count == 1)
        #expect(output.stderr.contains("99"))
        let events = try EventStreamChecks.check(output.lines)
        #expect(events.first?["code"]?.stringValue == "memory_format_unsupported")
        #expect(events.last?["reason"]?.stringValue == "configuration_error")
        #expect(try Data(contentsOf: formatFile) == Data(#"{"format":"raaid-memory","version":99}"#.utf8))
        #expect(try Data(contentsOf: memory.appendingPathComponent("global/records.jsonl")) == records)
    }
}
