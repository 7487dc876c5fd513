import Foundation
import Memory
import Phases
import Testing
import TestSupport

/// `examples/recorded/fizzbuzz.jsonl` replays offline through `raaid run --replay`, as the README shows.
/// Set `RAAID_RECORD_EXAMPLES=1` to regenerate it from the scripted session below.
@Suite(.timeLimit(.minutes(1))) struct ExampleRecordingTests {
    static let recording = RepositoryPaths.root.appendingPathComponent("examples/recorded/fizzbuzz.jsonl")
    static let example = RepositoryPaths.root.appendingPathComponent("examples/classic-fizzbuzz")
    static let solution = """
        \"\"\"The classic FizzBuzz kata.\"\"\"


        def fizzbuzz(n):
            \"\"\"Return FizzBuzz strings for 1..n.\"\"\"
            out = []
            for i in range(1, n + 1):
                if i % 15 == 0:
                    out.append("FizzBuzz")
                elif i % 3 == 0:
                    out.append("Fizz")
                elif i % 5 == 0:
                    out.append("Buzz")
                else:
                    out.append(str(i))
            return out

        """

    /// A copy of the example workspace, without any memory directory.
    static func copyOfExample() throws -> URL {
        let copy = try Fixtures.makeTemporaryDirectory().appendingPathComponent("classic-fizzbuzz")
        try FileManager.default.copyItem(at: example, to: copy)
        try? FileManager.default.removeItem(at: copy.appendingPathComponent(".raaid"))
        return copy
    }

    @Test func recordedExample_replaysOffline() async throws {
        if ProcessInfo.processInfo.environment["RAAID_RECORD_EXAMPLES"] == "1" { try await record() }
        let workspace = try Self.copyOfExample()
        defer { try? FileManager.default.removeItem(at: workspace.deletingLastPathComponent()) }
        let output = try await RaaidProcess.run([
            "run", Self.example.appendingPathComponent("TASK.md").path, "--replay", Self.recording.path,
            "--workspace", workspace.path, "--memory-dir", workspace.deletingLastPathComponent().appendingPathComponent("mem").path,
        ])
        #expect(output.exitCode == 0, "\(output.stderr)")
        let events = try EventStreamChecks.check(output.lines)
        #expect(events.first?["provider"]?.stringValue == "replay")
        #expect(events.last?["files_changed"] == ["fizzbuzz.py"])
        #expect(try String(contentsOf: workspace.appendingPathComponent("fizzbuzz.py"), encoding: .utf8) == Self.solution)
    }

    /// Regenerates the recording with a scripted model (run with RAAID_RECORD_EXAMPLES=1).
    private func record() async throws {
        let workspace = try Self.copyOfExample()
        defer { try? FileManager.default.removeItem(at: workspace.deletingLastPathComponent()) }
        let memoryDirectory = workspace.deletingLastPathComponent().appendingPathComponent("mem").path
        let memory = try MemoryStore(directory: memoryDirectory)
        try FileManager.default.createDirectory(at: Self.recording.deletingLastPathComponent(), withIntermediateDirectories: true)
        let script: [ModelResponse] = [
            ScriptedProvider.say("fizzbuzz.py holds a stub that raises NotImplementedError; test_fizzbuzz.py says what it must return."),
            ScriptedProvider.call(
                "submit_plan",
                ["summary": "Replace the stub with the classic loop.",
                 "tasks": [["title": "Implement fizzbuzz(n)", "why": "The function is a stub.",
                            "steps": ["Build the list for 1..n with the Fizz/Buzz/FizzBuzz rules"], "files": ["fizzbuzz.py"],
                            "verify": "pytest test_fizzbuzz.py"]]],
                id: "toolu_plan"),
            ScriptedProvider.call("write_file", ["path": "fizzbuzz.py", "content": .string(Self.solution)], id: "toolu_write"),
            ScriptedProvider.say("Implemented fizzbuzz(n) with the Fizz, Buzz and FizzBuzz rules."),
        ]
        let provider = try RecordingProvider(ScriptedProvider(script), path: Self.recording.path)
        let task = try TaskInput.fromFile(Self.example.appendingPathComponent("TASK.md").path)
        var configuration = RunConfiguration(
            task: task, workspace: workspace.path, memoryDirectory: memoryDirectory, session: "example", isResearchOnly: false,
            version: "example")
        configuration.model = ModelRunOptions(
            provider: provider, settings: ModelSettings(providerName: "anthropic", model: "claude-sonnet-4-5"),
            permissions: PermissionPolicy(mode: .implement, rules: try PermissionRules(parsing: []), workspace: try WorkspaceRoot(workspace.path)))
        let outcome = await RunPipeline(
            configuration: configuration, memory: memory, emitter: EventEmitter(runID: "example", output: BufferSink()),
            cancellation: CancellationSource()
        ).run()
        #expect(outcome == .success)
    }
}
