import Memory
import Testing

@testable import Phases

@Suite struct PermissionPolicyTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var mode: PermissionMode
        var rules: [String]
        var tool: String
        var access: ToolAccess
        var input: JSONValue
        var allowed: Bool
        var by: String
        var testDescription: String { "\(mode.rawValue) \(rules) \(tool) \(input.serialized())" }
    }

    static let cases: [Case] = [
        Case(
            mode: .researchReadOnly, rules: [], tool: "read_file", access: .read, input: ["path": "a"], allowed: true,
            by: "mode read_only"),
        Case(
            mode: .researchReadOnly, rules: [], tool: "record_fact", access: .memory, input: ["fact": "x"],
            allowed: true, by: "mode read_only"),
        Case(
            mode: .researchReadOnly, rules: ["write(**)"], tool: "write_file", access: .write, input: ["path": "a"],
            allowed: false, by: "mode read_only"),
        Case(
            mode: .researchReadOnly, rules: ["shell(*)"], tool: "run_shell", access: .shell, input: ["command": "ls"],
            allowed: false, by: "mode read_only"),
        Case(
            mode: .researchReadOnly, rules: [], tool: "ask_human", access: .human, input: ["question": "?"],
            allowed: true, by: "mode read_only"),
        Case(
            mode: .implement, rules: [], tool: "write_file", access: .write, input: ["path": "Sources/a.swift"],
            allowed: true, by: "mode implement"),
        Case(
            mode: .implement, rules: ["write(Sources/**)"], tool: "edit_file", access: .write,
            input: ["path": "Sources/x/a.swift"], allowed: true, by: "rule write(Sources/**)"),
        Case(
            mode: .implement, rules: ["write(Sources/**)"], tool: "write_file", access: .write,
            input: ["path": "Package.swift"], allowed: false, by: "default deny"),
        Case(
            mode: .implement, rules: ["read(Sources/**)"], tool: "read_file", access: .read,
            input: ["path": "secrets.env"], allowed: false, by: "default deny"),
        Case(
            mode: .implement, rules: ["read(*)"], tool: "read_file", access: .read, input: ["path": "secrets.env"],
            allowed: true, by: "rule read(*)"),
        Case(
            mode: .implement, rules: [], tool: "ask_human", access: .human, input: ["question": "?"], allowed: true,
            by: "mode implement"),
        Case(
            mode: .implement, rules: [], tool: "run_shell", access: .shell, input: ["command": "ls"], allowed: false,
            by: "default deny"),
        Case(
            mode: .implement, rules: ["shell(swift test*)"], tool: "run_shell", access: .shell,
            input: ["command": "swift test --filter X"], allowed: true, by: "rule shell(swift test*)"),
        Case(
            mode: .implement, rules: ["shell(swift test*)"], tool: "run_shell", access: .shell,
            input: ["command": "swift build"], allowed: false, by: "default deny"),
        Case(
            mode: .implement, rules: ["shell(git status)"], tool: "run_shell", access: .shell,
            input: ["command": "git status"], allowed: true, by: "rule shell(git status)"),
        Case(
            mode: .implement, rules: ["shell(git status)"], tool: "run_shell", access: .shell,
            input: ["command": "git status -s"], allowed: false, by: "default deny"),
        Case(
            mode: .implement, rules: ["shell(git *)"], tool: "run_shell", access: .shell,
            input: ["command": "git commit -m \"fix; tidy (a|b)\""], allowed: true, by: "rule shell(git *)"),
        Case(
            mode: .implement, rules: ["shell(git *)"], tool: "run_shell", access: .shell,
            input: ["command": "git status; rm -rf /"], allowed: false, by: "default deny"),
        Case(
            mode: .implement, rules: ["shell(git *)"], tool: "run_shell", access: .shell,
            input: ["command": "git status && rm -rf /"], allowed: false, by: "default deny"),
        Case(
            mode: .implement, rules: ["shell(git *)"], tool: "run_shell", access: .shell,
            input: ["command": "git log | sh"], allowed: false, by: "default deny"),
        Case(
            mode: .implement, rules: ["shell(git *)"], tool: "run_shell", access: .shell,
            input: ["command": "git log `rm -rf /`"], allowed: false, by: "default deny"),
        Case(
            mode: .implement, rules: ["shell(git *)"], tool: "run_shell", access: .shell,
            input: ["command": "git log \"$(rm -rf /)\""], allowed: false, by: "default deny"),
        Case(
            mode: .implement, rules: ["shell(git *)"], tool: "run_shell", access: .shell,
            input: ["command": "git log > ~/.bashrc"], allowed: false, by: "default deny"),
        Case(
            mode: .implement, rules: ["shell(git *)"], tool: "run_shell", access: .shell,
            input: ["command": "git status\nrm -rf /"], allowed: false, by: "default deny"),
        Case(
            mode: .implement, rules: ["shell(git *)"], tool: "run_shell", access: .shell,
            input: ["command": "git status || true"], allowed: false, by: "default deny"),
        Case(
            mode: .implement, rules: ["shell(git *)"], tool: "run_shell", access: .shell,
            input: ["command": "git status & rm -rf /"], allowed: false, by: "default deny"),
        Case(
            mode: .implement, rules: ["shell(*)"], tool: "run_shell", access: .shell,
            input: ["command": "make && make test | tee log"], allowed: true, by: "rule shell(*)"),
        Case(
            mode: .implement, rules: ["shell(swift test*)"], tool: "run_tests", access: .shell, input: [:],
            allowed: true, by: "rule shell(swift test*)"),
        Case(
            mode: .cowboy, rules: [], tool: "run_shell", access: .shell, input: ["command": "rm -rf build; make"],
            allowed: true, by: "cowboy_mode"),
        Case(
            mode: .cowboy, rules: [], tool: "write_file", access: .write, input: ["path": "x"], allowed: true,
            by: "cowboy_mode"),
    ]

    @Test(arguments: cases) func decide(_ example: Case) throws {
        let policy = PermissionPolicy(
            mode: example.mode, rules: try PermissionRules(parsing: example.rules), testCommand: "swift test")
        let decision = policy.decide(tool: example.tool, access: example.access, input: example.input)
        #expect(decision.allowed == example.allowed, "\(decision.reason)")
        #expect(decision.by == example.by)
    }

    @Test func chainedCommand_denialExplainsWhy() {
        let policy = PermissionPolicy(
            mode: .implement, rules: PermissionRules([PermissionRule(kind: .shell, pattern: "git *")]))
        let decision = policy.decide(tool: "run_shell", access: .shell, input: ["command": "git status; rm -rf /"])
        #expect(!decision.allowed)
        #expect(decision.reason.contains("uses ;"))
        #expect(decision.reason.contains("only shell(*) allows compound commands"))
        let unmatched = policy.decide(tool: "run_shell", access: .shell, input: ["command": "npm test"])
        #expect(unmatched.reason.contains("--allow 'shell(npm *)'"))
    }

    @Test func pathRules_resolveThroughTheWorkspace() throws {
        let fixture = try ToolFixture()
        defer { fixture.remove() }
        let policy = PermissionPolicy(
            mode: .implement, rules: try PermissionRules(parsing: ["write(Sources/**)"]), workspace: fixture.workspace)
        #expect(policy.decide(tool: "write_file", access: .write, input: ["path": "./Sources/../Sources/a"]).allowed)
        let escape = policy.decide(tool: "write_file", access: .write, input: ["path": "../x"])
        #expect(!escape.allowed && escape.by == "workspace")
    }

    @Test func parsing_rejectsMalformedRules() throws {
        for bad in ["shell", "shell()", "exec(ls)", "shell(ls", "(ls)", ""] {
            #expect(throws: PermissionRuleError(rule: bad)) { try PermissionRule(parsing: bad) }
        }
        #expect(try PermissionRule(parsing: " shell(echo (x)) ") == PermissionRule(kind: .shell, pattern: "echo (x)"))
        #expect(PermissionRuleError(rule: "x").description.contains("expected KIND(PATTERN)"))
    }

    @Test func commandWildcard() {
        let rule = PermissionRule(kind: .shell, pattern: "swift test*")
        #expect(rule.matches(command: "swift test"))
        #expect(rule.matches(command: "  swift test --parallel  "))
        #expect(!rule.matches(command: "swift build"))
        #expect(PermissionRule(kind: .shell, pattern: "make ?").matches(command: "make a"))
        #expect(!PermissionRule(kind: .shell, pattern: "make ?").matches(command: "make ab"))
    }

    final class FakeApprovals: ApprovalChannel {
        let answer: ApprovalAnswer
        init(_ answer: ApprovalAnswer) { self.answer = answer }
        func requestApproval(_ request: ApprovalRequest) async throws -> ApprovalAnswer {
            #expect(request.command == "make deploy")
            return answer
        }
    }

    @Test func approvalChannel_canAllowWhatTheRulesDeny() async throws {
        let tool = RunShellTool()
        let input: JSONValue = ["command": "make deploy"]
        let approved = PermissionPolicy(mode: .implement, approvals: FakeApprovals(.approved))
        #expect(
            try await approved.authorize(tool: tool, input: input)
                == PermissionDecision(allowed: true, by: "client", reason: "approved by the client"))
        let denied = PermissionPolicy(mode: .implement, approvals: FakeApprovals(.denied(reason: "not now")))
        #expect(
            try await denied.authorize(tool: tool, input: input)
                == PermissionDecision(allowed: false, by: "client", reason: "not now"))
        let away = PermissionPolicy(mode: .implement, approvals: FakeApprovals(.unavailable))
        #expect(try await away.authorize(tool: tool, input: input).by == "default deny")
        let readOnly = PermissionPolicy(mode: .researchReadOnly, approvals: FakeApprovals(.approved))
        #expect(try await readOnly.authorize(tool: tool, input: input).by == "mode read_only")
    }

    @Test func registryCall_withPolicy_deniesWithoutRunning() async throws {
        let fixture = try ToolFixture()
        defer { fixture.remove() }
        let policy = PermissionPolicy(mode: .implement)
        let result = try await ToolRegistry.standard().call(
            "run_shell", input: ["command": "touch ran.txt"], context: fixture.context(), policy: policy)
        #expect(result.decision?.allowed == false)
        #expect(result.output.isError && result.output.metadata["error_code"] == "permission_denied")
        #expect(result.output.text.hasPrefix("Permission denied for run_shell (default deny)"))
        #expect(!fixture.exists(fixture.root + "/ran.txt"))
    }
}
