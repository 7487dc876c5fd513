/// The whole command tree of `raaid`: names, help, options and their defaults.
enum CommandTree {
    /// The version printed by `raaid --version` and carried in `run.started`.
    static let version = "0.1.0"

    static let root = CommandSpec(
        name: "raaid",
        abstract: "A scriptable AI coding agent: research, plan and implement a task, one JSON event per line.",
        discussion: """
            raaid works on a workspace in three phases (research, planning, implementation) and prints every \
            step as NDJSON on stdout; the exit code tells the truth. What it learns is kept in a memory directory \
            (.raaid in the workspace). With no model configured, research runs on a built-in engine that needs no \
            network.
            """,
        options: [.flag("--version", help: "Show the version.")],
        subcommands: [run, serve, memory, schema, help],
        examples: [
            "raaid run examples/explain-memory-store.md --research-only",
            "raaid run -m 'Where are exit codes decided?' --research-only | jq -c 'select(.type==\"run.completed\")'",
        ])

    static let workspaceOption = OptionSpec.option(
        "--workspace", value: "dir", help: "Workspace root.", default: "the current directory")
    static let memoryDirOption = OptionSpec.option(
        "--memory-dir", value: "dir", help: "Memory directory.", default: "<workspace>/.raaid")

    static let run = CommandSpec(
        name: "run",
        abstract: "Research, plan and implement a task; prints NDJSON events on stdout.",
        discussion: """
            The task comes from a file, from standard input ('-') or from --message. stdout carries only events \
            (docs/events.md); the last line is always run.completed and the exit code matches its status: \
            0 success, 1 failed, 2 usage, 3 configuration, 4 provider, 5 limit, 6 permission, 130/143 signals, \
            141 output closed.
            """,
        arguments: [ArgumentSpec(name: "task", help: "Task file (Markdown), or '-' to read standard input.")],
        options: [
            .option("-m", "--message", value: "text", help: "The task text itself, instead of a file."),
            workspaceOption,
            memoryDirOption,
            .option("--session", value: "name", help: "Session to write memory to.", default: "a new session per run"),
            .flag("--research-only", help: "Stop after research (needs no model)."),
            .option("--max-related", value: "n", help: "Related files to record, 1 to 100.", default: "10"),
            .option("--max-snippets", value: "n", help: "Key snippets to record, 0 to 50.", default: "5"),
            .flag("--progress", help: "Human progress on stderr even when it is not a terminal."),
            .flag("-q", "--quiet", help: "No human output on stderr except errors."),
            .option(
                "--provider", value: "name", help: "Model provider.", default: "$RAAID_PROVIDER, else from the API key set",
                allowed: ["anthropic", "openai", "replay", "none"]),
            .option("--model", value: "name", help: "Model name.", default: "$RAAID_MODEL, else the provider's default"),
            .option(
                "--base-url", value: "url",
                help: "Provider base URL (OpenAI-compatible servers: Ollama, vLLM, llama.cpp, LM Studio, OpenRouter).",
                default: "$OPENAI_BASE_URL / $ANTHROPIC_BASE_URL"),
            .option("--record", value: "file", help: "Record every model exchange to this file (JSON Lines)."),
            .option("--replay", value: "file", help: "Replay a recorded session offline instead of calling a model."),
            .flag("--plan-only", help: "Stop after planning."),
            .option("--resume", value: "run", help: "Continue a failed or cancelled run from its last completed task."),
            .option(
                "--allow", value: "rule", help: "Allow tool calls, e.g. 'shell(swift test*)', 'write(Sources/**)' (repeatable).",
                repeatable: true),
            .flag("--cowboy-mode", help: "Allow every shell command without asking."),
            .flag("--fail-on-denial", help: "End the run with exit 6 when a tool call is denied."),
            .option("--answers", value: "file", help: "JSON answers for ask_human questions (id or text -> answer)."),
            .option("--test-cmd", value: "command", help: "Test command run after implementation (allowed automatically)."),
            .flag("--auto-test", help: "Run the detected test command after implementation."),
            .option("--max-test-retries", value: "n", help: "Fix attempts when the tests fail.", default: "2"),
            .option("--max-turns", value: "n", help: "Model turns in the whole run.", default: "150"),
            .option("--max-turns-per-phase", value: "n", help: "Model turns per phase.", default: "50"),
            .option("--max-cost", value: "usd", help: "Stop when the run has cost this much (USD).", default: "no limit"),
            .option("--max-tokens", value: "n", help: "Stop after this many tokens in all.", default: "no limit"),
            .option("--timeout", value: "seconds", help: "Stop the run after this long.", default: "no limit"),
            .option("--context-window", value: "tokens", help: "Context window to stay under.", default: "the model's"),
            .flag("--stream-deltas", help: "Emit item.delta events while the model streams text."),
        ],
        examples: [
            "raaid run examples/add-memory-stats.md --research-only",
            "echo 'Fix the flaky lock test' | raaid run - --research-only --quiet",
            "raaid run task.md --research-only | jq -r 'select(.type==\"memory.written\" and .kind==\"related_file\") | .record.path'",
            "ANTHROPIC_API_KEY=... raaid run task.md --test-cmd 'swift test' --max-cost 2",
            "raaid run task.md --base-url http://localhost:11434/v1 --model qwen2.5-coder --allow 'shell(make test)'",
            "raaid run task.md --replay examples/recorded/fizzbuzz.jsonl --workspace examples/classic-fizzbuzz",
        ])

    static let serve = CommandSpec(
        name: "serve",
        abstract: "Serve the pipeline to live clients over WebSocket, with a web page at /.",
        discussion: """
            Binds 127.0.0.1 by default. Every WebSocket connection needs the token (Authorization: Bearer, or \
            the subprotocol raaid.token.<token>); without --token or RAAID_SERVE_TOKEN a token is generated and \
            printed on stderr in a ready-to-open URL. Protocol: docs/protocol.md. SIGINT or SIGTERM: stop \
            accepting, close clients with 1001, let runs finish up to --drain-timeout, cancel the rest, exit 0.
            """,
        options: [
            .option("--host", value: "address", help: "Address to bind.", default: "127.0.0.1"),
            .option("--port", value: "port", help: "Port to listen on; 0 picks a free one.", default: "8765"),
            .option("--token", value: "token", help: "Connection token (at least 16 characters).", default: "$RAAID_SERVE_TOKEN, else generated"),
            .option(
                "--allow-origin", value: "origin", help: "Also allow this browser Origin (repeatable).", repeatable: true),
            .option(
                "--allow-host", value: "host", help: "Also accept this Host header, e.g. behind a proxy (repeatable).",
                repeatable: true),
            workspaceOption,
            memoryDirOption,
            .option("--max-runs", value: "n", help: "Runs executing at once; more are queued.", default: "2"),
            .option("--drain-timeout", value: "seconds", help: "Time runs get to finish on shutdown.", default: "30"),
            .option(
                "--run-nice", value: "n",
                help: "Nice value (0-19) of runs' indexing threads, so clients stay responsive while runs compute.",
                default: "10"),
            .option("--rate", value: "n", help: "Client messages per second per connection.", default: "20"),
            .option(
                "--log-level", value: "level", help: "Server log level on stderr.", default: "info",
                allowed: ["debug", "info", "warning", "error"]),
            .option("--log-format", value: "format", help: "Server log format.", default: "text", allowed: ["text", "json"]),
            .flag("--echo", help: "Add the /echo endpoint for conformance testing (Autobahn)."),
            .option(
                "--provider", value: "name", help: "Model for runs started with research_only false.",
                default: "$RAAID_PROVIDER, else from the API key set", allowed: ["anthropic", "openai", "none"]),
            .option("--model", value: "name", help: "Model name.", default: "$RAAID_MODEL, else the provider's default"),
            .option("--base-url", value: "url", help: "Provider base URL (OpenAI-compatible servers).", default: "$OPENAI_BASE_URL / $ANTHROPIC_BASE_URL"),
            .option(
                "--allow", value: "rule", help: "Allow tool calls in model runs; others wait for a client's approval (repeatable).",
                repeatable: true),
            .flag("--cowboy-mode", help: "Allow every shell command in model runs."),
        ],
        examples: [
            "raaid serve",
            "RAAID_SERVE_TOKEN=$(openssl rand -hex 24) raaid serve --port 0 --log-format json",
            "raaid serve --allow-host agent.example.com --allow-origin https://agent.example.com",
        ])

    static let memoryCommon: [OptionSpec] = [workspaceOption, memoryDirOption]
    static let sessionOption = OptionSpec.option(
        "--session", value: "name", help: "Only this session's records (merged with global).")
    static let kindOption = OptionSpec.option(
        "--kind", value: "kind", help: "Only records of this kind.",
        allowed: ["fact", "snippet", "related_file", "research_note", "plan", "task", "work_log", "answer"])
    static let jsonFlag = OptionSpec.flag("--json", help: "JSON Lines for scripts instead of a table.")

    static let memory = CommandSpec(
        name: "memory",
        abstract: "Inspect and manage the memory directory.",
        subcommands: [
            CommandSpec(
                name: "list", abstract: "List records (global and sessions).",
                options: memoryCommon + [sessionOption, kindOption, jsonFlag]),
            CommandSpec(
                name: "show", abstract: "Show one record by id (a unique prefix is enough).",
                arguments: [ArgumentSpec(name: "id", help: "Record id or unique prefix.", isOptional: false)],
                options: memoryCommon + [jsonFlag]),
            CommandSpec(
                name: "search", abstract: "Find records whose content contains every query word.",
                arguments: [ArgumentSpec(name: "query", help: "Words to look for.", isOptional: false, isVariadic: true)],
                options: memoryCommon + [sessionOption, kindOption, jsonFlag]),
            CommandSpec(
                name: "export", abstract: "Print every record as JSON Lines (the on-disk format).",
                options: memoryCommon + [sessionOption, kindOption]),
            CommandSpec(
                name: "wipe", abstract: "Delete records: one session, or all of them (run logs are kept).",
                options: memoryCommon + [
                    .option("--session", value: "name", help: "Wipe only this session."),
                    .flag("--all", help: "Wipe global memory and every session."),
                    .flag("--yes", help: "Confirm; required, since a wipe cannot be undone."),
                ]),
            CommandSpec(
                name: "sessions", abstract: "List sessions.", options: memoryCommon + [jsonFlag]),
        ])

    static let schema = CommandSpec(
        name: "schema",
        abstract: "Print a published JSON Schema.",
        arguments: [ArgumentSpec(name: "name", help: "Which schema: events.", isOptional: false)])

    static let help = CommandSpec(
        name: "help",
        abstract: "Show help for a command.",
        arguments: [ArgumentSpec(name: "command", help: "The command, e.g. 'run' or 'memory list'.", isVariadic: true)])
}
