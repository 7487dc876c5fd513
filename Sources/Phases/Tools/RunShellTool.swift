import Memory

/// `run_shell`: runs a command with `bash -c` in the workspace (see ``ProcessRunner`` for the process handling).
///
/// Whether a command may run is decided before the call by ``PermissionPolicy`` (rules, cowboy mode or a client's
/// approval). The output shows the command's combined stdout/stderr (head and tail kept when long) and its exit
/// code; a non-zero exit is a normal result, a timeout is an error output, cancellation throws
/// `CancellationError` after the process group has been killed.
public struct RunShellTool: Tool {
    /// Creates the tool.
    public init() {}

    public var access: ToolAccess { .shell }

    public var definition: ToolDefinition {
        ToolDefinition(
            name: "run_shell",
            description: """
                Run a shell command with `bash -c` in the workspace root (build, git, linters, scripts). Output \
                is stdout and stderr combined; long output keeps its beginning and end. Commands time out (default \
                120 s) and have no terminal or stdin, so avoid interactive programs and pagers. Commands may be \
                denied by the permission policy: then do without, or ask for the permission in your final message. \
                Use run_tests for the project's tests.
                """,
            inputSchema: JSONSchema.object(
                [
                    ("command", JSONSchema.string("The command line, e.g. `git diff --stat`.")),
                    ("timeout_seconds", JSONSchema.integer("Timeout in seconds (default 120).", minimum: 1)),
                ], required: ["command"]))
    }

    public func run(_ input: JSONValue, context: ToolContext) async throws -> ToolOutput {
        let command = input["command"]?.stringValue ?? ""
        guard !command.allSatisfy(\.isWhitespace) else {
            throw ToolError.invalidInput("run_shell: \"command\" must not be empty")
        }
        let timeout = min(Double(input["timeout_seconds"]?.intValue ?? 0), context.shell.maximumTimeout)
        return try await ShellExecution.run(
            command: command, timeout: timeout > 0 ? timeout : context.shell.defaultTimeout, context: context)
    }
}

/// `run_tests`: runs the configured test command through the same machinery as `run_shell`.
public struct RunTestsTool: Tool {
    /// Creates the tool.
    public init() {}

    public var access: ToolAccess { .shell }

    public var definition: ToolDefinition {
        ToolDefinition(
            name: "run_tests",
            description: """
                Run the project's configured test command in the workspace root and show its output (beginning \
                and end when long) and exit code. Optionally pass extra arguments, e.g. a test filter, appended to \
                the command. Run it after changes to check them.
                """,
            inputSchema: JSONSchema.object([
                ("arguments", JSONSchema.string("Extra arguments appended to the test command, e.g. a filter."))
            ]))
    }

    public func run(_ input: JSONValue, context: ToolContext) async throws -> ToolOutput {
        guard let command = Self.command(input, context: context) else {
            throw ToolError(
                code: "unavailable",
                message: "run_tests: no test command is configured for this workspace; use run_shell if allowed")
        }
        return try await ShellExecution.run(command: command, timeout: context.shell.testTimeout, context: context)
    }

    /// The full command a call would run (used by the permission policy too).
    public static func command(_ input: JSONValue, context: ToolContext) -> String? {
        command(input, testCommand: context.shell.testCommand)
    }

    static func command(_ input: JSONValue, testCommand: String?) -> String? {
        guard let base = testCommand, !base.isEmpty else { return nil }
        let extra = input["arguments"]?.stringValue ?? ""
        return extra.allSatisfy(\.isWhitespace) ? base : base + " " + extra
    }
}

/// The shared body of `run_shell` and `run_tests`.
enum ShellExecution {
    static func run(command: String, timeout: Double, context: ToolContext) async throws -> ToolOutput {
        try context.checkCancellation()
        let settings = context.shell
        let request = ProcessRequest(
            executable: settings.shellPath, arguments: ["-c", command], directory: context.workspace.path,
            environment: settings.environment ?? ProcessEnvironment.inherited(), timeout: timeout,
            outputLimit: settings.outputLimit * 2, killGrace: settings.killGrace)
        let result = try await ProcessRunner.run(request, isCancelled: context.isCancelled)
        if result.cancelled { throw CancellationError() }
        return format(result, command: command, timeout: timeout, limit: settings.outputLimit)
    }

    static func format(_ result: ProcessResult, command: String, timeout: Double, limit: Int) -> ToolOutput {
        var body = result.output
        if body.count > limit { body = TextCap.headAndTail(body, limit: limit) }
        if !body.isEmpty && !body.hasSuffix("\n") { body += "\n" }
        // The duration stays in the metadata, not in the text: the text is what the model (and a replayed
        // session) sees, and it should not change from one run to the next.
        let status: String
        if result.timedOut {
            status = "timed out after \(format(timeout)) s; the command and its process group were killed"
        } else if let code = result.exitCode {
            status = "exit code \(code)"
        } else {
            status = "killed by signal \(result.signal ?? 0)"
        }
        let text = "$ \(command)\n\(body.isEmpty ? "(no output)\n" : body)[\(status)]"
        let metadata: JSONObject = [
            "command": .string(command), "exit_code": .from(result.exitCode.map(Int.init)),
            "signal": .from(result.signal.map(Int.init)), "timed_out": .bool(result.timedOut),
            "duration_ms": .from(result.durationMs), "output_bytes": .from(result.outputBytes),
        ]
        let truncated = result.isTruncated || result.output.count > limit
        return ToolOutput(
            text: text, isError: result.timedOut, truncated: truncated,
            fullTextLength: truncated ? max(text.count + 1, result.outputBytes) : text.count, metadata: metadata)
    }

    private static func format(_ seconds: Double) -> String {
        let tenths = (seconds * 10).rounded() / 10
        return tenths == tenths.rounded() ? String(Int(tenths)) : String(tenths)
    }
}
