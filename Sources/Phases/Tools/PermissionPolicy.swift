import Memory

/// How much the agent may do in a phase.
public enum PermissionMode: String, Sendable, CaseIterable {
    /// Research (and planning): read and memory tools only.
    case researchReadOnly = "read_only"
    /// Implementation: file edits inside the workspace; shell commands only when a rule or a client allows them.
    case implement
    /// `--cowboy-mode`: everything is allowed (paths still never leave the workspace).
    case cowboy
}

/// The verdict on one tool call, as reported in `permission.decided`.
public struct PermissionDecision: Sendable, Equatable {
    /// Whether the call may run.
    public var allowed: Bool
    /// What decided: `rule shell(swift test*)`, `mode read_only`, `mode implement`, `cowboy_mode`,
    /// `default deny`, `client`, `workspace`.
    public var by: String
    /// A sentence for people and for the model (a denial tells how to get permission).
    public var reason: String

    /// Creates a decision.
    public init(allowed: Bool, by: String, reason: String) {
        self.allowed = allowed
        self.by = by
        self.reason = reason
    }
}

/// A call waiting for a client's approval.
public struct ApprovalRequest: Sendable, Equatable {
    /// The tool's name.
    public var tool: String
    /// What it touches.
    public var access: ToolAccess
    /// The input the model gave.
    public var input: JSONValue
    /// The command line, for shell tools.
    public var command: String?
    /// The workspace-relative path, for file tools.
    public var path: String?
    /// Why the policy alone did not allow it.
    public var reason: String
}

/// The client's answer to an ``ApprovalRequest``.
public enum ApprovalAnswer: Sendable, Equatable {
    case approved
    case denied(reason: String)
    /// No client can answer (none connected, timed out): the policy's denial stands.
    case unavailable
}

/// Where calls the rules deny can still be approved: `serve` plugs its client in.
public protocol ApprovalChannel: Sendable {
    /// Asks for approval and waits.
    /// - Throws: `CancellationError` when the run is cancelled while waiting.
    func requestApproval(_ request: ApprovalRequest) async throws -> ApprovalAnswer
}

/// Decides every tool call from the mode, the `--allow` rules and, for calls they deny, an approval channel.
///
/// - read and memory tools: allowed in every mode (limited to the `read(...)` rules' paths when there are any);
/// - write tools: denied in ``PermissionMode/researchReadOnly``; otherwise allowed (limited to the `write(...)`
///   rules' paths when there are any);
/// - `ask_human`: allowed in every mode (it changes nothing; the registry offers it from planning on);
/// - shell tools: denied in read-only mode; in implement mode allowed only by a matching `shell(...)` rule (never a
///   chained command unless the rule is exactly `shell(*)`) or by the approval channel;
/// - ``PermissionMode/cowboy`` allows everything.
/// Paths that escape the workspace are denied by `workspace` in every mode; the tools refuse them again.
public struct PermissionPolicy: Sendable {
    /// The mode of the current phase.
    public var mode: PermissionMode
    /// The `--allow` rules.
    public var rules: PermissionRules
    /// Consulted for calls denied by `default deny`; `nil` in `raaid run`.
    public var approvals: (any ApprovalChannel)?
    /// The command `run_tests` runs, matched against `shell(...)` rules.
    public var testCommand: String?
    /// Resolves paths before they are matched against rules; `nil` matches them as given.
    public var workspace: WorkspaceRoot?

    /// Creates a policy.
    public init(
        mode: PermissionMode, rules: PermissionRules = PermissionRules(), approvals: (any ApprovalChannel)? = nil,
        testCommand: String? = nil, workspace: WorkspaceRoot? = nil
    ) {
        self.mode = mode
        self.rules = rules
        self.approvals = approvals
        self.testCommand = testCommand
        self.workspace = workspace
    }

    /// Decides a call of `tool` with `input`.
    public func decide(tool: any Tool, input: JSONValue) -> PermissionDecision {
        decide(tool: tool.name, access: tool.access, input: input)
    }

    /// Decides a call by tool name and access.
    public func decide(tool: String, access: ToolAccess, input: JSONValue) -> PermissionDecision {
        let modeName = "mode \(mode.rawValue)"
        switch access {
        case .memory:
            if mode == .cowboy { return allow("cowboy_mode", "cowboy mode allows every tool") }
            return allow(modeName, "memory tools are allowed in every phase")
        case .read:
            if mode == .cowboy { return allow("cowboy_mode", "cowboy mode allows every tool") }
            return decidePath(kind: .read, path: input["path"]?.stringValue ?? ".", modeName: modeName)
        case .write:
            if mode == .researchReadOnly { return deny(modeName, "this phase is read-only; files cannot be changed") }
            if mode == .cowboy { return allow("cowboy_mode", "cowboy mode allows every tool") }
            return decidePath(kind: .write, path: input["path"]?.stringValue ?? "", modeName: modeName)
        case .human:
            if mode == .cowboy { return allow("cowboy_mode", "cowboy mode allows every tool") }
            return allow(modeName, "asking a human changes nothing in the workspace")
        case .shell:
            if mode == .researchReadOnly { return deny(modeName, "this phase is read-only; commands cannot run") }
            if mode == .cowboy { return allow("cowboy_mode", "cowboy mode allows every command") }
            guard let command = command(tool: tool, input: input) else {
                return deny("default deny", "no command to run (no test command is configured)")
            }
            return decideCommand(command)
        }
    }

    /// Decides a call, asking ``approvals`` when the policy alone denies it by `default deny`.
    /// - Throws: `CancellationError` while waiting for a client.
    public func authorize(tool: any Tool, input: JSONValue) async throws -> PermissionDecision {
        let decision = decide(tool: tool, input: input)
        guard !decision.allowed, decision.by == "default deny", let approvals else { return decision }
        let request = ApprovalRequest(
            tool: tool.name, access: tool.access, input: input, command: command(tool: tool.name, input: input),
            path: tool.access == .write || tool.access == .read ? input["path"]?.stringValue : nil,
            reason: decision.reason)
        switch try await approvals.requestApproval(request) {
        case .approved: return allow("client", "approved by the client")
        case .denied(let reason): return deny("client", reason.isEmpty ? "denied by the client" : reason)
        case .unavailable: return decision
        }
    }

    /// The command line a shell tool would run.
    public func command(tool: String, input: JSONValue) -> String? {
        tool == "run_tests" ? RunTestsTool.command(input, testCommand: testCommand) : input["command"]?.stringValue
    }

    private func decideCommand(_ command: String) -> PermissionDecision {
        let construct = CommandSyntax.compoundConstruct(in: command)
        var refusedRule: PermissionRule?
        for rule in rules.rules(of: .shell) {
            if rule.allowsEverything { return allow("rule \(rule)", "allowed by --allow '\(rule)'") }
            guard rule.matches(command: command) else { continue }
            if construct == nil { return allow("rule \(rule)", "allowed by --allow '\(rule)'") }
            refusedRule = refusedRule ?? rule
        }
        if let refusedRule, let construct {
            return deny(
                "default deny",
                "the command uses \(construct), which chains, substitutes or redirects commands; '\(refusedRule)' "
                    + "allows only a single simple command (only shell(*) allows compound commands); "
                    + "run the commands one at a time")
        }
        return deny(
            "default deny",
            "shell commands need permission: no --allow rule matches this command "
                + "(allow it with --allow 'shell(\(Self.suggestion(command)))' or --cowboy-mode)")
    }

    private func decidePath(kind: PermissionRule.Kind, path: String, modeName: String) -> PermissionDecision {
        var relative = path
        if let workspace {
            do {
                relative = try workspace.resolve(path).relative
            } catch {
                return deny("workspace", error.description)
            }
        }
        let kindRules = rules.rules(of: kind)
        guard !kindRules.isEmpty else {
            let what = kind == .read ? "reading" : "editing files"
            return allow(modeName, "\(what) inside the workspace is allowed in this phase")
        }
        if let rule = kindRules.first(where: { $0.matches(path: relative) }) {
            return allow("rule \(rule)", "allowed by --allow '\(rule)'")
        }
        let list = kindRules.map { "'\($0)'" }.joined(separator: ", ")
        return deny("default deny", "'\(relative)' matches none of the \(kind.rawValue) rules (\(list))")
    }

    /// The first word of a command plus `*`, e.g. `git *`.
    private static func suggestion(_ command: String) -> String {
        let words = command.split(separator: " ", omittingEmptySubsequences: true)
        guard let first = words.first else { return "*" }
        return words.count > 1 ? "\(first) *" : String(first)
    }

    private func allow(_ by: String, _ reason: String) -> PermissionDecision {
        PermissionDecision(allowed: true, by: by, reason: reason)
    }

    private func deny(_ by: String, _ reason: String) -> PermissionDecision {
        PermissionDecision(allowed: false, by: by, reason: reason)
    }
}
