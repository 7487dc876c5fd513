import Memory

/// The tools offered to the model, by phase, and the one entry point that runs a call.
///
/// Phases: research gets the read and memory tools; planning gets those plus `ask_human`; implementation gets
/// every tool. The permission policy still decides each call (see ``PermissionPolicy``).
public struct ToolRegistry: Sendable {
    /// Every tool, in the order offered.
    public let tools: [any Tool]

    /// Creates a registry of `tools`.
    public init(tools: [any Tool]) {
        self.tools = tools
    }

    /// raaid's tools; `excludedPaths` (root-relative, e.g. the memory directory) are hidden from the read tools.
    public static func standard(excludedPaths: [String] = [".raaid"]) -> ToolRegistry {
        ToolRegistry(tools: [
            ListDirectoryTool(excludedPaths: excludedPaths), FindFilesTool(excludedPaths: excludedPaths),
            SearchTool(excludedPaths: excludedPaths), ReadFileTool(),
            MemoryWriteTool.recordFact, MemoryWriteTool.recordSnippet, MemoryWriteTool.recordRelatedFile,
            MemoryWriteTool.researchNote,
            WriteFileTool(), EditFileTool(), RunShellTool(), RunTestsTool(), AskHumanTool(),
        ])
    }

    /// The tools offered in `phase`.
    public func tools(for phase: PhaseName) -> [any Tool] {
        switch phase {
        case .research: return tools.filter { $0.access == .read || $0.access == .memory }
        case .planning: return tools.filter { $0.access == .read || $0.access == .memory || $0.access == .human }
        case .implementation: return tools
        }
    }

    /// The definitions sent to the model in `phase`.
    public func definitions(for phase: PhaseName) -> [ToolDefinition] { tools(for: phase).map(\.definition) }

    /// The tool called `name`.
    public func tool(named name: String) -> (any Tool)? { tools.first { $0.name == name } }

    /// Validates `input` and runs the tool; every failure becomes an error output for the model.
    ///
    /// - Throws: only `CancellationError`.
    public func call(_ name: String, input: JSONValue, context: ToolContext) async throws -> ToolOutput {
        guard let tool = tool(named: name) else {
            let names = tools.map(\.name).joined(separator: ", ")
            return .failure("unknown tool '\(name)'; the tools are: \(names)", code: "unknown_tool")
        }
        do {
            try ToolInputValidator.validate(input, schema: tool.definition.inputSchema, tool: name)
            try context.checkCancellation()
            return try await tool.run(input, context: context)
        } catch let error as ToolError {
            return .failure(error.message, code: error.code)
        } catch let error as PathEscapeError {
            return .failure(
                "\(name): \(error.description)", code: "path_escape",
                metadata: ["path": .string(error.path), "reason": .string(error.reason.rawValue)])
        } catch is CancellationError {
            throw CancellationError()
        } catch let error as MemoryError {
            return .failure("\(name): memory write failed: \(error)", code: "memory_error")
        } catch {
            return .failure("\(name) failed: \(error)", code: "internal_error")
        }
    }

    /// Decides the call with `policy` (asking its approval channel when needed) and runs it when allowed; a denied
    /// call returns an error output that tells the model why.
    ///
    /// - Throws: only `CancellationError`.
    public func call(
        _ name: String, input: JSONValue, context: ToolContext, policy: PermissionPolicy
    ) async throws -> ToolCallResult {
        guard let tool = tool(named: name) else {
            return ToolCallResult(decision: nil, output: try await call(name, input: input, context: context))
        }
        let decision = try await policy.authorize(tool: tool, input: input)
        guard decision.allowed else {
            let output = ToolOutput.failure(
                "Permission denied for \(name) (\(decision.by)): \(decision.reason)", code: "permission_denied")
            return ToolCallResult(decision: decision, output: output)
        }
        return ToolCallResult(decision: decision, output: try await call(name, input: input, context: context))
    }
}

/// A decided and (when allowed) executed call.
public struct ToolCallResult: Sendable, Equatable {
    /// The permission decision; `nil` for an unknown tool.
    public var decision: PermissionDecision?
    /// What the model gets back.
    public var output: ToolOutput
}
