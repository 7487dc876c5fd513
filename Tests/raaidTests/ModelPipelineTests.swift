import Foundation
import Memory
import Phases
import Testing
import TestSupport

/// The whole pipeline with a model: research, plan and implement on a fixture repository with a scripted
/// provider; files really change and tests really run. Then the recorded session replays through the binary.
@Suite(.timeLimit(.minutes(1))) struct ModelPipelineTests {
    static let buggy = """
        def fizzbuzz(n):
            return [str(i) for i in range(1, n + 1)]
        """
    static let correct = """
        def fizzbuzz(n):
            out = []
            for i in range(1, n + 1):
                out.append("FizzBuzz" if i % 15 == 0 else "Fizz" if i % 3 == 0 else "Buzz" if i % 5 == 0 else str(i))
            return out
        """
    static let testCommand = "python3 check.py"
    static let task = "Implement fizzbuzz(n) in fizzbuzz.py so that check.py passes."

    /// The fizzbuzz kata with a deterministic checker.
    static func makeWorkspace() throws -> URL {
        let root = try Fixtures.makeTemporaryDirectory()
        try Fixtures.write("def fizzbuzz(n):\n    raise NotImplementedError\n", to: "fizzbuzz.py", in: root)
        try Fixtures.write(
            """
            import sys
            from fizzbuzz import fizzbuzz
            expected = ["1", "2", "Fizz", "4", "Buzz", "Fizz", "7", "8", "Fizz", "Buzz", "11", "Fizz", "13", "14", "FizzBuzz"]
            try:
                got = fizzbuzz(15)
            except Exception as error:
                print("FAIL: fizzbuzz raised", type(error).__name__); sys.exit(1)
            if got != expected:
                print("FAIL: fizzbuzz(15) returned", got); sys.exit(1)
            print("ok")
            """, to: "check.py", in: root)
        return root
    }

    /// Research answer, a plan, a buggy implementation, then a fix after the failing tests.
    static let script: [ModelResponse] = [
        ScriptedProvider.say("The work is in fizzbuzz.py; check.py verifies it."),
        ScriptedProvider.call(
            "submit_plan",
            ["summary": "Implement the kata.", "tasks": [["title": "Implement fizzbuzz", "why": "It raises NotImplementedError",
              "steps": ["Return the strings for 1..n"], "files": ["fizzbuzz.py"], "verify": .string(testCommand)]]],
            id: "plan-1"),
        ScriptedProvider.call("write_file", ["path": "fizzbuzz.py", "content": .string(buggy + "\n")], id: "w-1"),
        ScriptedProvider.say("Implemented fizzbuzz."),
        ScriptedProvider.call("write_file", ["path": "fizzbuzz.py", "content": .string(correct + "\n")], id: "w-2"),
        ScriptedProvider.say("Fixed the Fizz/Buzz cases."),
    ]

    private func runInProcess(
        workspace: URL, provider: any LLMProvider, limits: RunLimits = RunLimits(), failOnDenial: Bool = false,
        extraRules: [String] = [], resumedFrom: String? = nil, heartbeat: Double = 10
    ) async throws -> (RunOutcome, [String], MemoryStore) {
        let memoryDirectory = workspace.appendingPathComponent(".raaid").path
        let memory = try MemoryStore(directory: memoryDirectory)
        let sink = BufferSink()
        let emitter = EventEmitter(runID: RunConfiguration.makeRunID(), output: sink)
        var configuration = RunConfiguration(
            task: try TaskInput.fromMessage(Self.task), workspace: workspace.path, memoryDirectory: memoryDirectory,
            session: "s-test", isResearchOnly: false, version: "test")
        configuration.limits = limits
        configuration.resumedFrom = resumedFrom
        let root = try WorkspaceRoot(workspace.path)
        let rules = try PermissionRules(parsing: ["shell(\(Self.testCommand))"] + extraRules)
        var settings = ModelSettings(providerName: "scripted", model: "scripted-1")
        settings.heartbeatInterval = heartbeat
        var options = ModelRunOptions(
            provider: provider, settings: settings,
            permissions: PermissionPolicy(mode: .implement, rules: rules, testCommand: Self.testCommand, workspace: root))
        options.testCommand = Self.testCommand
        options.maxTestRetries = 1
        options.isFailingOnDenial = failOnDenial
        configuration.model = options
        let outcome = await RunPipeline(
            configuration: configuration, memory: memory, emitter: emitter, cancellation: CancellationSource()
        ).run()
        return (outcome, sink.lines, memory)
    }

    @Test func researchPlanImplement_changesFilesAndRunsTests_thenReplays() async throws {
        let workspace = try Self.makeWorkspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let scratch = try Fixtures.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let recording = scratch.appendingPathComponent("session.jsonl").path
        let scripted = ScriptedProvider(Self.script)
        let (outcome, lines, memory) = try await runInProcess(
            workspace: workspace, provider: try RecordingProvider(scripted, path: recording))
        #expect(outcome == .success, "\(lines.suffix(3))")
        let events = try EventStreamChecks.check(lines)
        let types = events.compactMap { $0["type"]?.stringValue }
        #expect(types.filter { $0 == "turn.started" }.count == 6)
        #expect(types.contains("permission.decided"))
        let kinds = events.compactMap { $0["item"]?["kind"]?.stringValue }
        #expect(kinds.contains("plan") && kinds.contains("file_change") && kinds.contains("tool_call"))
        let testRuns = events.filter { $0["item"]?["tool"]?.stringValue == "run_tests" && $0["type"]?.stringValue == "item.completed" }
        #expect(testRuns.compactMap { $0["item"]?["exit_code"]?.intValue } == [1, 0], "tests failed, then passed after the fix")
        #expect(try String(contentsOf: workspace.appendingPathComponent("fizzbuzz.py"), encoding: .utf8) == Self.correct + "\n")
        let completed = try #require(events.last)
        #expect(completed["files_changed"] == ["fizzbuzz.py"])
        #expect(completed["totals"]?["turns"]?.intValue == 6)
        #expect(completed["phases"] == ["research": "completed", "planning": "completed", "implementation": "completed"])
        let tasks = try memory.readAll(kind: .task).records
        #expect(tasks.last?.data["status"]?.stringValue == "done")
        #expect(tasks.allSatisfy { $0.scope == .global || $0.session == "s-test" })
        // The implementer saw the failing test output.
        #expect(scripted.requests[4].messages.first.map { "\($0)".contains("FAIL: fizzbuzz(15) returned") } == true)

        // Replay the recorded session through the binary, offline, on a fresh copy.
        let fresh = try Self.makeWorkspace()
        defer { try? FileManager.default.removeItem(at: fresh) }
        let taskFile = try Fixtures.write(Self.task, to: "task.md", in: scratch)
        let replay = try await RaaidProcess.run(
            ["run", taskFile.path, "--replay", recording, "--test-cmd", Self.testCommand, "--max-test-retries", "1",
             "--workspace", fresh.path, "--memory-dir", fresh.appendingPathComponent(".mem").path, "-q"])
        #expect(replay.exitCode == 0, "\(replay.stderr)\n\(replay.lines.suffix(4))")
        let replayed = try EventStreamChecks.check(replay.lines)
        let strip: (JSONValue) -> String = { event in
            [event["type"]?.stringValue ?? "", event["item"]?["kind"]?.stringValue ?? "", event["item"]?["tool"]?.stringValue ?? ""].joined(separator: "/")
        }
        #expect(replayed.map(strip) == events.map(strip), "the same events, ids and times aside")
        #expect(try String(contentsOf: fresh.appendingPathComponent("fizzbuzz.py"), encoding: .utf8) == Self.correct + "\n")
    }

    @Test func replay_thatRunsPastTheRecording_namesTheTurn() async throws {
        let workspace = try Self.makeWorkspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let scratch = try Fixtures.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let recording = scratch.appendingPathComponent("short.jsonl").path
        _ = try await runInProcess(workspace: workspace, provider: try RecordingProvider(ScriptedProvider(Self.script), path: recording))
        // Keep only the first two exchanges: the run will ask for a third.
        let lines = try String(contentsOfFile: recording, encoding: .utf8).split(separator: "\n").prefix(2)
        try (lines.joined(separator: "\n") + "\n").write(toFile: recording, atomically: true, encoding: .utf8)
        let fresh = try Self.makeWorkspace()
        defer { try? FileManager.default.removeItem(at: fresh) }
        let output = try await RaaidProcess.run(
            ["run", "-m", Self.task, "--replay", recording, "--test-cmd", Self.testCommand, "--workspace", fresh.path,
             "--memory-dir", fresh.appendingPathComponent(".mem").path, "-q"])
        #expect(output.exitCode == 3)
        #expect(output.stderr.contains("has no turn 3 (it holds 2)"), "\(output.stderr)")
        let events = try EventStreamChecks.check(output.lines)
        #expect(events.contains { $0["code"]?.stringValue == "replay_mismatch" })
    }

    @Test func turnLimit_endsWithLimitReached() async throws {
        let workspace = try Self.makeWorkspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        var limits = RunLimits()
        limits.maxTurns = 2
        let (outcome, lines, _) = try await runInProcess(workspace: workspace, provider: ScriptedProvider(Self.script), limits: limits)
        #expect(outcome.status == .limitReached)
        #expect(outcome.reason == .maxTurns)
        #expect(outcome.exitCode == 5)
        let events = try EventStreamChecks.check(lines)
        #expect(events.last?["reason"]?.stringValue == "max_turns")
    }

    @Test func deniedShell_isReported_andFailOnDenialExits6() async throws {
        let workspace = try Self.makeWorkspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let script = Array(Self.script.prefix(2)) + [
            ScriptedProvider.call("run_shell", ["command": "rm -rf /tmp/raaid-never"], id: "sh-1"),
            ScriptedProvider.say("Could not run it."),
        ]
        let (outcome, lines, _) = try await runInProcess(workspace: workspace, provider: ScriptedProvider(script), failOnDenial: true)
        #expect(outcome.reason == .permissionDenied)
        #expect(outcome.exitCode == 6)
        let events = try EventStreamChecks.check(lines)
        let decision = try #require(events.first { $0["type"]?.stringValue == "permission.decided" && $0["tool"]?.stringValue == "run_shell" })
        #expect(decision["allowed"]?.boolValue == false)
        #expect(decision["by"]?.stringValue == "default deny")
        #expect(events.last?["denials"]?.intValue == 1)
    }

    @Test func repeatedIdenticalToolCalls_areBroken() async throws {
        let workspace = try Self.makeWorkspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let read = ScriptedProvider.call("read_file", ["path": "fizzbuzz.py"], id: "r")
        let script = Array(Self.script.prefix(2)) + Array(repeating: read, count: 6)
        let (outcome, lines, _) = try await runInProcess(workspace: workspace, provider: ScriptedProvider(script))
        #expect(outcome.reason == .taskFailed)
        let events = try EventStreamChecks.check(lines)
        #expect(events.contains { $0["code"]?.stringValue == "repeated_tool_call" })
        let completedReads = events.filter { $0["item"]?["tool"]?.stringValue == "read_file" && $0["type"]?.stringValue == "item.completed" }
        #expect(completedReads.count == 2, "the third identical call is answered without running it")
    }

    @Test func tokenLimit_and_timeout_endWithLimitReached() async throws {
        let workspace = try Self.makeWorkspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        var limits = RunLimits()
        limits.maxTokens = 1500
        let (outcome, lines, _) = try await runInProcess(workspace: workspace, provider: ScriptedProvider(Self.script), limits: limits)
        #expect(outcome.reason == .maxTokens)
        #expect(outcome.status == .limitReached)
        let events = try EventStreamChecks.check(lines)
        #expect(events.last?["totals"]?["turns"]?.intValue == 2, "the turn that crossed the limit is still reported")

        var timed = RunLimits()
        timed.timeout = 0.3
        let slow = SlowProvider(delay: 5)
        let (timedOutcome, timedLines, _) = try await runInProcess(
            workspace: workspace, provider: slow, limits: timed, heartbeat: 0.05)
        #expect(timedOutcome.reason == .timeout)
        #expect(timedOutcome.exitCode == 5)
        let timedEvents = try EventStreamChecks.check(timedLines)
        #expect(timedEvents.contains { $0["type"]?.stringValue == "heartbeat" && $0["waiting_for"]?.stringValue == "model" })
        #expect(timedEvents.last?["reason"]?.stringValue == "timeout")
    }

    @Test func costLimit_endsWithLimitReached_forAPricedModel() async throws {
        let workspace = try Self.makeWorkspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let priced = Self.script.map { response in
            var response = response
            response.model = "claude-sonnet-4-5"
            response.usage = TokenUsage(inputTokens: 200_000, outputTokens: 10_000)
            return response
        }
        var limits = RunLimits()
        limits.maxCostUSD = 1.0
        let (outcome, lines, _) = try await runInProcess(workspace: workspace, provider: ScriptedProvider(priced), limits: limits)
        #expect(outcome.reason == .maxCost)
        let events = try EventStreamChecks.check(lines)
        let turns = events.filter { $0["type"]?.stringValue == "turn.completed" }
        #expect(turns.allSatisfy { $0["cost_source"]?.stringValue == "price_table" && ($0["cost_usd"]?.doubleValue ?? 0) > 0 })
        #expect((events.last?["totals"]?["cost_usd"]?.doubleValue ?? 0) >= 1.0)
        #expect(events.last?["status"]?.stringValue == "limit_reached")
    }

    @Test func resume_continuesFromTheLastCompletedTask() async throws {
        let workspace = try Self.makeWorkspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        // First run: plans two tasks, finishes the first, then hits the turn limit in the second.
        let plan = ScriptedProvider.call(
            "submit_plan",
            ["tasks": [["title": "Write a stub", "steps": ["x"]], ["title": "Implement fizzbuzz", "steps": ["y"]]]], id: "p")
        let first: [ModelResponse] = [
            ScriptedProvider.say("Research done."), plan,
            ScriptedProvider.call("write_file", ["path": "notes.txt", "content": "stub\n"], id: "w1"),
            ScriptedProvider.say("Stub written."),
        ]
        var limits = RunLimits()
        limits.maxTurns = 4
        let (stopped, firstLines, _) = try await runInProcess(workspace: workspace, provider: ScriptedProvider(first), limits: limits)
        #expect(stopped.reason == .maxTurns)
        let firstRun = try #require(try JSONValue.parse(firstLines[0])["run"]?.stringValue)

        // The resumed run skips planning and the done task, and implements the second.
        let second = ScriptedProvider([
            ScriptedProvider.say("Research again."),
            ScriptedProvider.call("write_file", ["path": "fizzbuzz.py", "content": .string(Self.correct + "\n")], id: "w2"),
            ScriptedProvider.say("Implemented."),
        ])
        let (outcome, lines, memory) = try await runInProcess(workspace: workspace, provider: second, resumedFrom: firstRun)
        #expect(outcome == .success, "\(lines.suffix(3))")
        let events = try EventStreamChecks.check(lines)
        #expect(events.first?["resumed_from"]?.stringValue == firstRun)
        #expect(events.contains { $0["type"]?.stringValue == "phase.skipped" && $0["reason"]?.stringValue == "resumed" })
        #expect(second.requests.count == 3, "no planning turn, one implementation conversation")
        #expect(second.requests[1].messages.first.map { "\($0)".contains("Task 2: Implement fizzbuzz") } == true)
        let statuses = try memory.readAll(kind: .task).records.filter { $0.run == firstRun }
        let seen = Set(statuses.compactMap { $0.data["status"]?.stringValue })
        #expect(seen.contains("done"))
    }

    @Test func contextBudget_trimsOldToolOutputs_andRefusesTheImpossible() throws {
        let big = String(repeating: "x", count: 40_000)
        var messages: [ModelMessage] = [.user("task")]
        for index in 0..<6 {
            messages.append(ModelMessage(role: .assistant, content: [.toolUse(id: "t\(index)", name: "read_file", input: ["path": "a"])]))
            messages.append(ModelMessage(role: .user, content: [.toolResult(toolUseID: "t\(index)", content: big, isError: false)]))
        }
        let budget = ContextBudget(window: 50_000)
        let (fitted, trimmed) = try budget.fit(system: "s", messages: messages, tools: [])
        #expect(trimmed > 0)
        #expect(ContextBudget.estimate(system: "s", messages: fitted, tools: []) < 50_000 - 4096)
        #expect(fitted.last == messages.last, "the newest messages are kept intact")
        #expect(throws: ContextOverflow.self) {
            try ContextBudget(window: 5_000).fit(system: "s", messages: [.user(big)], tools: [])
        }
    }
}

/// A provider that takes `delay` seconds per request (honouring cancellation).
struct SlowProvider: LLMProvider {
    let name = "slow"
    let delay: Double
    func complete(_ request: ModelRequest, onEvent: @escaping @Sendable (ModelStreamEvent) -> Void) async throws -> ModelResponse {
        try await Task.sleep(for: .milliseconds(Int(delay * 1000)))
        return ScriptedProvider.say("late")
    }
}
