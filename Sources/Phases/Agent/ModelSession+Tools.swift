#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Musl)
@preconcurrency import Musl
#endif
import Memory

extension ModelSession {
    /// Characters of tool output carried in an `item.completed` event; the rest is in `output_ref`.
    static let eventOutputLimit = 4000

    /// Authorizes and runs one tool call; returns the `tool_result` for the model.
    func callTool(id: String, name: String, input: JSONValue, phase: PhaseName) async throws -> ContentBlock {
        try await runTool(id: id, name: name, input: input, phase: phase).result
    }

    /// Authorizes and runs one tool call; returns the `tool_result` and the tool's output (nil when refused).
    func runTool(id: String, name: String, input: JSONValue, phase: PhaseName) async throws
        -> (result: ContentBlock, output: ToolOutput?)
    {
        guard let tool = registry.tools(for: phase).first(where: { $0.name == name }) else {
            let names = registry.tools(for: phase).map(\.name).joined(separator: ", ")
            return (
                .toolResult(
                    toolUseID: id, content: "unknown tool '\(name)' in the \(phase.rawValue) phase; available: \(names)",
                    isError: true), nil
            )
        }
        let decision = try await policy(for: phase).authorize(tool: tool, input: input)
        emitter.emit(
            .permissionDecided, phase: phase,
            [
                "call_id": .string(id), "tool": .string(name), "allowed": .bool(decision.allowed),
                "by": .string(decision.by), "reason": .string(decision.reason),
            ])
        guard decision.allowed else {
            ledger.recordDenial()
            if isFailingOnDenial {
                throw AgentFailure(
                    code: "permission_denied", message: "\(name) was denied (\(decision.by)): \(decision.reason)",
                    reason: .permissionDenied)
            }
            return (.toolResult(toolUseID: id, content: "Permission denied (\(decision.by)): \(decision.reason)", isError: true), nil)
        }
        emitter.emit(
            .itemStarted, phase: phase,
            ["item": ["id": .string(id), "kind": "tool_call", "tool": .string(name), "input": input]])
        let started = Timestamp.monotonicNanos()
        let context = context(for: phase)
        let registry = registry
        let output = try await withHeartbeat(waitingFor: tool.access == .shell ? "command" : "tool", phase: phase) {
            try await registry.call(name, input: input, context: context)
        }
        var item: JSONObject = [
            "id": .string(id), "kind": "tool_call", "tool": .string(name), "input": input,
            "output": .string(String(output.text.prefix(Self.eventOutputLimit))), "is_error": .bool(output.isError),
            "truncated": .bool(output.truncated || output.text.count > Self.eventOutputLimit),
            "duration_ms": .int(Int64((Timestamp.monotonicNanos() - started) / 1_000_000)),
        ]
        if output.text.count > Self.eventOutputLimit, let reference = saveOutput(output.text, id: id) {
            item["output_ref"] = .string(reference)
        }
        if let exitCode = output.metadata["exit_code"] { item["exit_code"] = exitCode }
        emitter.emit(.itemCompleted, phase: phase, ["item": .object(item)])
        if let change = output.metadata["file_change"]?.objectValue, let path = change["path"]?.stringValue {
            ledger.recordChange(path)
            emitter.emit(
                .itemCompleted, phase: phase,
                [
                    "item": [
                        "id": .string(nextItemID("change")), "kind": "file_change", "path": .string(path),
                        "op": change["op"] ?? "modify", "lines_added": change["lines_added"] ?? 0,
                        "lines_removed": change["lines_removed"] ?? 0,
                    ]
                ])
        }
        if let written = output.metadata["memory_written"]?.objectValue {
            emitter.emit(
                .memoryWritten, phase: phase,
                [
                    "kind": written["kind"] ?? "fact", "id": written["id"] ?? "", "scope": written["scope"] ?? "session",
                    "session": .string(context.session), "record": written["data"] ?? [:],
                ])
        }
        return (.toolResult(toolUseID: id, content: output.text, isError: output.isError), output)
    }

    /// Keeps a long tool output in `runs/<run>/outputs/<id>.txt`; returns that path relative to the memory dir.
    private func saveOutput(_ text: String, id: String) -> String? {
        let safeID = String(id.unicodeScalars.filter { $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" })
        let directory = runDirectory + "/outputs"
        mkdir(directory, 0o755)
        let path = directory + "/\(safeID).txt"
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + offset, bytes.count - offset) }
            if written < 0 { if errno == EINTR { continue }; return nil }
            offset += written
        }
        let runs = runDirectory.split(separator: "/").suffix(2).joined(separator: "/")
        return "\(runs)/outputs/\(safeID).txt"
    }
}
