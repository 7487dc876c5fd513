import Memory

/// Implementation: each task in a fresh conversation (plus what memory holds), marked `done` or `failed` in
/// memory; then the test command, whose failing output goes back to the implementer up to
/// `maxTestRetries` times.
struct ImplementationPhase: Sendable {
    let configuration: RunConfiguration
    let memory: MemoryStore
    let session: ModelSession
    let testCommand: String?
    let maxTestRetries: Int

    /// Runs the pending tasks in order; returns normally when every task is done and the tests pass.
    func run(tasks: [PlannedTask], records: [String: MemoryRecord]) async throws {
        var tasks = tasks
        for position in tasks.indices where tasks[position].status != "done" {
            let task = tasks[position]
            let brief = try memoryBrief()
            let overview = tasks.map { "\($0.index). \($0.title) [\($0.status)]" }.joined(separator: "\n")
            let user = """
                # The overall task

                \(configuration.task.text)

                # The plan

                \(overview)

                # Your task now

                \(task.brief)
                # What memory holds

                \(brief)
                """
            do {
                _ = try await session.converse(phase: .implementation, system: Prompts.implementation, messages: [.user(user)])
                tasks[position].status = "done"
                try mark(tasks[position], record: records[String(task.index)])
            } catch {
                tasks[position].status = "failed"
                try? mark(tasks[position], record: records[String(task.index)])
                PlanningPhase.emitPlan(tasks, summary: "", session: session, phase: .implementation)
                throw error
            }
            PlanningPhase.emitPlan(tasks, summary: "", session: session, phase: .implementation)
        }
        try await runTests(tasks: tasks)
    }

    private func memoryBrief() throws -> String {
        Prompts.memoryBrief(try memory.read(session: configuration.session).records)
    }

    /// Records the task's new status (a revision of its `task` record) and a `work_log` entry.
    private func mark(_ task: PlannedTask, record: MemoryRecord?) throws {
        var written: [MemoryRecord] = []
        if let record {
            written.append(try memory.append(record.revised(data: task.data)))
        }
        written.append(try memory.append(MemoryRecord(
            kind: .workLog, data: ["text": .string("Task \(task.index) \(task.status): \(task.title)"), "task": .int(Int64(task.index))],
            session: configuration.session, run: session.emitter.runID, phase: PhaseName.implementation.rawValue)))
        for record in written {
            session.emitter.emit(
                .memoryWritten, phase: .implementation,
                ["kind": .string(record.kind.rawValue), "id": .string(record.id), "scope": .string(record.scope.rawValue),
                 "session": .string(record.session), "record": .object(record.data)])
        }
    }

    /// Runs the test command; on failure asks the implementer to fix it, up to `maxTestRetries` times.
    private func runTests(tasks: [PlannedTask]) async throws {
        guard let testCommand else { return }
        var attempt = 0
        while true {
            let (result, output) = try await session.runTool(
                id: "tests-\(attempt + 1)", name: "run_tests", input: [:], phase: .implementation)
            guard case .toolResult(_, let text, _) = result else { return }
            if output?.metadata["exit_code"]?.intValue == 0 && output?.isError == false { return }
            guard attempt < maxTestRetries else {
                throw AgentFailure(
                    code: "tests_failed",
                    message: "the tests (\(testCommand)) still fail after \(attempt) fix attempt\(attempt == 1 ? "" : "s")",
                    reason: .taskFailed)
            }
            attempt += 1
            let trimmed = text.count > 8000 ? String(text.prefix(2000)) + "\n[…]\n" + String(text.suffix(5000)) : text
            let user = """
                # The overall task

                \(configuration.task.text)

                The plan's tasks are done, but the tests fail. Fix the code (not the tests, unless they are wrong) \
                so that `\(testCommand)` passes. Attempt \(attempt) of \(maxTestRetries).

                # Test output

                \(trimmed)
                """
            _ = try await session.converse(phase: .implementation, system: Prompts.implementation, messages: [.user(user)])
        }
    }
}
