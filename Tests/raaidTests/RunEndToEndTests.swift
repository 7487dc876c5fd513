import Foundation
import Memory
import Testing

/// `raaid run --research-only` through the built binary: events, memory directory, exit codes.
@Suite(.timeLimit(.minutes(1))) struct RunEndToEndTests {
    @Test func researchOnly_succeedsRecordsAndLogsIdentically() async throws {
        let workspace = try Fixtures.makeSwiftWorkspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let task = "Tokenizer: reject unknown characters with a clear TokenizerError message"
        let output = try await RaaidProcess.run(["run", "-m", task, "--research-only"], in: workspace)
        #expect(output.exitCode == 0, "stderr: \(output.stderr)")
        let events = try EventStreamChecks.check(output.lines)
        #expect(events.first?["type"]?.stringValue == "run.started")
        #expect(events.last?["status"]?.stringValue == "success")
        let types = events.compactMap { $0["type"]?.stringValue }
        #expect(types.contains("phase.started") && types.contains("phase.completed") && types.contains("progress"))

        let related = events.filter { $0["kind"]?.stringValue == "related_file" }.compactMap { $0["record"]?["path"]?.stringValue }
        #expect(Set(related.prefix(2)) == ["Sources/CalcCore/Tokenizer.swift", "Sources/CalcCore/Token.swift"], "ranked: \(related)")
        #expect(related.firstIndex(of: "Tests/CalcCoreTests/TokenizerTests.swift") ?? 0 > 1, "tests rank after sources")
        #expect(!related.contains("build/Generated.swift"), ".gitignore honoured")
        #expect(!related.contains("debug.log"))
        let kinds = Set(events.compactMap { $0["kind"]?.stringValue })
        #expect(kinds.isSuperset(of: ["related_file", "snippet", "fact", "research_note"]))

        let run = try #require(events.first?["run"]?.stringValue)
        let runDirectory = workspace.appendingPathComponent(".raaid/runs/\(run)")
        let logged = try String(contentsOf: runDirectory.appendingPathComponent("events.ndjson"), encoding: .utf8)
        #expect(logged == output.stdout, "events.ndjson is byte-identical to stdout")
        let state = try JSONValue.parse(String(contentsOf: runDirectory.appendingPathComponent("run.json"), encoding: .utf8))
        #expect(state["status"]?.stringValue == "success")
        #expect(state["exit_code"]?.intValue == 0)

        let listed = try await RaaidProcess.run(["memory", "list", "--json", "--kind", "related_file"], in: workspace)
        #expect(listed.exitCode == 0)
        let records = try listed.lines.map { try JSONValue.parse($0) }
        #expect(records.contains { $0["scope"]?.stringValue == "global" && $0["data"]?["path"]?.stringValue == related.first })
    }

    @Test func rerun_readsIndexFromCache() async throws {
        let workspace = try Fixtures.makeSwiftWorkspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let first = try await RaaidProcess.run(["run", "-m", "evaluator sum", "--research-only"], in: workspace)
        let second = try await RaaidProcess.run(["run", "-m", "evaluator sum", "--research-only"], in: workspace)
        func stats(_ output: RaaidProcess.Output) throws -> JSONValue? {
            try EventStreamChecks.check(output.lines).first { $0["type"]?.stringValue == "phase.completed" }?["stats"]
        }
        #expect(try stats(first)?["files_indexed"]?.intValue ?? 0 > 0)
        #expect(try stats(second)?["files_indexed"]?.intValue == 0)
        #expect(try stats(second)?["files_from_cache"]?.intValue == stats(first)?["files_indexed"]?.intValue)
    }

    @Test func research_isDeterministicAcrossProcesses() async throws {
        let workspace = try Fixtures.makeSwiftWorkspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let scratch = try Fixtures.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        var outputs: [[String]] = []
        for index in 0..<3 {
            let memory = scratch.appendingPathComponent("mem\(index)").path
            let output = try await RaaidProcess.run(
                ["run", "-m", "Tokenizer rejects unknown characters; evaluator sums tokens", "--research-only", "-q",
                 "--memory-dir", memory], in: workspace)
            // Records and the note, without ids, times or run ids: the same task on the same tree gives the same bytes
            // in every process (hash seeds differ per process), which replays and CI diffs rely on.
            outputs.append(try EventStreamChecks.check(output.lines).compactMap { event in
                (event["record"] ?? event["item"]?["text"]).map { $0.serialized() }
            })
        }
        #expect(outputs[0].count > 5)
        #expect(outputs[1] == outputs[0])
        #expect(outputs[2] == outputs[0])
    }

    @Test func withoutModel_researchIsKeptThenConfigurationError() async throws {
        let workspace = try Fixtures.makeSwiftWorkspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let output = try await RaaidProcess.run(["run", "-m", "make the evaluator subtract"], in: workspace)
        #expect(output.exitCode == 3)
        let events = try EventStreamChecks.check(output.lines)
        let skipped = events.filter { $0["type"]?.stringValue == "phase.skipped" }.compactMap { $0["phase"]?.stringValue }
        #expect(skipped == ["planning", "implementation"])
        #expect(events.contains { $0["type"]?.stringValue == "error" && $0["code"]?.stringValue == "no_model" })
        #expect(events.last?["reason"]?.stringValue == "configuration_error")
        #expect(output.stderr.contains("planning and implementation need a model"))
        let global = try await RaaidProcess.run(["memory", "list", "--json"], in: workspace).lines
        #expect(!global.isEmpty, "research promoted before the configuration error")
    }

    @Test func taskFromFileAndStdin() async throws {
        let workspace = try Fixtures.makeSwiftWorkspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let taskFile = try Fixtures.write("# Evaluate\n\nSupport subtraction in `Evaluator`.\n", to: "task.md", in: workspace)
        let fromFile = try await RaaidProcess.run(["run", taskFile.path, "--research-only", "-q"], in: workspace)
        let fromStdin = try await RaaidProcess.run(["run", "-", "--research-only", "-q"], in: workspace, stdin: Data("Evaluator subtraction".utf8))
        for output in [fromFile, fromStdin] {
            #expect(output.exitCode == 0)
            #expect(output.stderr.isEmpty, "--quiet: \(output.stderr)")
            try EventStreamChecks.check(output.lines)
        }
        let started = try JSONValue.parse(try #require(fromFile.lines.first))
        #expect(started["task"]?["source"]?.stringValue == "file")
        #expect(started["task"]?["path"]?.stringValue == taskFile.path)
        #expect(try JSONValue.parse(try #require(fromStdin.lines.first))["task"]?["source"]?.stringValue == "stdin")
    }

    @Test func twoProcessesShareOneMemoryDirectory() async throws {
        let workspace = try Fixtures.makeSwiftWorkspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let outputs = try await withThrowingTaskGroup(of: RaaidProcess.Output.self) { group in
            for task in ["tokenizer errors", "evaluator sums", "token plus", "calc main"] {
                group.addTask { try await RaaidProcess.run(["run", "-m", task, "--research-only", "-q"], in: workspace) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outputs.count == 4)
        for output in outputs {
            #expect(output.exitCode == 0, "stderr: \(output.stderr)")
            try EventStreamChecks.check(output.lines)
        }
        let exported = try await RaaidProcess.run(["memory", "export"], in: workspace)
        #expect(exported.stderr.isEmpty, "no warnings: \(exported.stderr)")
        let records = try exported.lines.map { try JSONValue.parse($0) }
        let sessions = Set(records.compactMap { $0["session"]?.stringValue })
        #expect(sessions.count == 4)
        let written = outputs.compactMap { try? JSONValue.parse($0.lines.last ?? "")["memory"]?["records_written"]?.intValue }
        #expect(records.count == written.reduce(0, +), "every record from every process is readable")
    }

    @Test func closedStdout_endsCleanlyWithDocumentedExitCode() async throws {
        let workspace = try Fixtures.makeSwiftWorkspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let process = Process()
        process.executableURL = RepositoryPaths.executable
        process.arguments = ["run", "-m", "tokenizer", "--research-only", "-q"]
        process.currentDirectoryURL = workspace
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        try out.fileHandleForReading.close()  // the reader is gone before the first event: `| head -0`
        let status = try await offPool {
            process.waitUntilExit()
            return process.terminationStatus
        }
        #expect(status == 141)
        let runs = try FileManager.default.contentsOfDirectory(atPath: workspace.appendingPathComponent(".raaid/runs").path)
        let run = try #require(runs.first)
        let log = try String(contentsOf: workspace.appendingPathComponent(".raaid/runs/\(run)/events.ndjson"), encoding: .utf8)
        let events = try EventStreamChecks.check(log.split(separator: "\n").map(String.init))
        #expect(events.last?["status"]?.stringValue == "cancelled")
        #expect(events.last?["reason"]?.stringValue == "output_closed")
        let exported = try await RaaidProcess.run(["memory", "export"], in: workspace)
        #expect(exported.stderr.isEmpty, "memory is consistent: \(exported.stderr)")
        #expect(!exported.lines.contains { $0.contains(#""scope":"global""#) }, "a cancelled run promotes nothing")
    }
}
