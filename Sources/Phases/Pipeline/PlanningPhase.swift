import Memory
import Synchronization

/// Planning: the model turns the task and the research into ordered, checkable tasks (`submit_plan`),
/// stored in memory (`plan` and `task` records) and emitted as an item of kind `plan`.
struct PlanningPhase: Sendable {
    let configuration: RunConfiguration
    let memory: MemoryStore
    let session: ModelSession

    /// Runs the phase and returns the stored tasks.
    func run() async throws -> [PlannedTask] {
        let known = try memory.read(session: configuration.session).records
        let user = """
            # Task

            \(configuration.task.text)

            # What research found

            \(Prompts.memoryBrief(known))
            """
        let captured = Mutex<JSONValue?>(nil)
        let submit = PhaseTool(definition: Prompts.submitPlan) { input in
            guard let tasks = input["tasks"]?.arrayValue, !tasks.isEmpty,
                tasks.allSatisfy({ $0["title"]?.stringValue?.isEmpty == false })
            else {
                return ("submit_plan needs \"tasks\": a non-empty list of objects with a \"title\" and \"steps\"", true, false)
            }
            captured.withLock { $0 = input }
            return ("Plan recorded with \(tasks.count) tasks.", false, true)
        }
        var messages = [ModelMessage.user(user)]
        for attempt in 0..<2 {
            let result = try await session.converse(
                phase: .planning, system: Prompts.planning, messages: messages, phaseTools: [submit])
            if captured.withLock({ $0 }) != nil { break }
            guard attempt == 0 else { break }
            messages = result.messages + [.user("You have not called submit_plan. Call it now with the plan.")]
        }
        guard let plan = captured.withLock({ $0 }) else {
            throw AgentFailure(code: "no_plan", message: "planning ended without a plan (submit_plan was never called)", reason: .taskFailed)
        }
        let tasks = (plan["tasks"]?.arrayValue ?? []).enumerated().map { PlannedTask(index: $0.offset + 1, json: $0.element) }
        try store(tasks, summary: plan["summary"]?.stringValue ?? "")
        return tasks
    }

    private func store(_ tasks: [PlannedTask], summary: String) throws {
        var records = [
            MemoryRecord(
                kind: .plan,
                data: ["summary": .string(summary), "task_count": .int(Int64(tasks.count)), "task_digest": .string(configuration.task.digest)],
                session: configuration.session, run: session.emitter.runID, phase: PhaseName.planning.rawValue)
        ]
        records += tasks.map {
            MemoryRecord(kind: .task, data: $0.data, session: configuration.session, run: session.emitter.runID, phase: PhaseName.planning.rawValue)
        }
        for record in try memory.append(contentsOf: records) {
            session.emitter.emit(
                .memoryWritten, phase: .planning,
                ["kind": .string(record.kind.rawValue), "id": .string(record.id), "scope": .string(record.scope.rawValue),
                 "session": .string(record.session), "record": .object(record.data)])
        }
        PlanningPhase.emitPlan(tasks, summary: summary, session: session, phase: .planning)
    }

    /// Emits the plan with each task's status as an `item.completed` of kind `plan`.
    static func emitPlan(_ tasks: [PlannedTask], summary: String, session: ModelSession, phase: PhaseName) {
        session.emitter.emit(
            .itemCompleted, phase: phase,
            [
                "item": [
                    "id": .string("plan-\(session.emitter.runID)"), "kind": "plan", "summary": .string(summary),
                    "tasks": .array(tasks.map { .object($0.data) }),
                ]
            ])
    }
}
