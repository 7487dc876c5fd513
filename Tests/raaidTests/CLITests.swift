import Foundation
import Memory
import Testing

@testable import raaid

/// The command line: help text, version, did-you-mean, value validation, exit code 2.
@Suite struct CLITests {
    let parser = ArgumentParser(root: CommandTree.root)

    @Test func version_printsVersionAndExitsZero() async throws {
        let output = try await RaaidProcess.run(["--version"])
        #expect(output.stdout == "raaid \(CommandTree.version)\n")
        #expect(output.stderr.isEmpty)
        #expect(output.exitCode == 0)
    }

    @Test func unknownOption_suggestsClosestAndExitsTwo() async throws {
        let output = try await RaaidProcess.run(["run", "--reserch-only"])
        #expect(output.exitCode == 2)
        let lines = output.stderr.split(separator: "\n").map(String.init)
        #expect(lines.first == "Error: unknown option '--reserch-only'; did you mean '--research-only'?")
        #expect(lines.last == "  See 'raaid run --help' for more information.")
        let events = try EventStreamChecks.check(output.lines)
        #expect(events.first?["code"]?.stringValue == "unknown_option")
        #expect(events.last?["reason"]?.stringValue == "usage_error")
        #expect(events.last?["exit_code"]?.intValue == 2)
    }

    @Test func unknownCommand_suggestsClosest() async throws {
        let output = try await RaaidProcess.run(["rn"])
        #expect(output.exitCode == 2)
        #expect(output.stderr.hasPrefix("Error: unknown command 'rn'; did you mean 'run'?\n"))
        #expect(output.stdout.isEmpty)
    }

    @Test func parse_missingValue() {
        #expect(throws: UsageError("missing value for '--workspace <dir>'", commandPath: ["run"], code: "missing_value")) {
            try parser.parse(["run", "-m", "x", "--workspace"])
        }
    }

    @Test func parse_valueNotInAllowedSet() async throws {
        #expect(throws: UsageError.self) { try parser.parse(["run", "--provider", "claude"]) }
        do {
            _ = try parser.parse(["run", "--provider", "claude"])
        } catch {
            #expect(error.message == "invalid value 'claude' for '--provider'; expected one of: anthropic, openai, replay, none")
        }
    }

    @Test func parse_formsOfValues() async throws {
        let (_, parsed) = try parser.parse(["run", "--workspace=/tmp", "-m", "fix it", "--research-only"])
        #expect(parsed.value("workspace") == "/tmp")
        #expect(parsed.value("message") == "fix it")
        #expect(parsed.has("research-only"))
        let (_, dash) = try parser.parse(["run", "-", "--quiet"])
        #expect(dash.positionals == ["-"])
        let (_, separated) = try parser.parse(["run", "--", "--odd-name.md"])
        #expect(separated.positionals == ["--odd-name.md"])
    }

    @Test func parse_rejectsDuplicatesAndExtraArguments() {
        #expect(throws: UsageError.self) { try parser.parse(["run", "--workspace", "a", "--workspace", "b"]) }
        #expect(throws: UsageError.self) { try parser.parse(["run", "a.md", "b.md"]) }
        #expect(throws: UsageError.self) { try parser.parse(["run", "--research-only=yes"]) }
    }

    @Test func badNumber_isUsageErrorWithExpectedRange() async throws {
        let output = try await RaaidProcess.run(["run", "-m", "x", "--max-related", "0"])
        #expect(output.exitCode == 2)
        #expect(output.stderr == "Error: invalid value '0' for '--max-related'; expected an integer from 1 to 100\n")
        try EventStreamChecks.check(output.lines)
    }

    @Test func help_forms_agree() async throws {
        let viaFlag = try await RaaidProcess.run(["run", "--help"])
        let viaHelp = try await RaaidProcess.run(["help", "run"])
        #expect(viaFlag.exitCode == 0 && viaHelp.exitCode == 0)
        #expect(viaFlag.stdout == viaHelp.stdout)
        #expect(viaFlag.stdout == HelpFormatter(width: 80).help(for: CommandTree.run, path: ["raaid", "run"]))
        let nested = try await RaaidProcess.run(["help", "memory", "list"])
        #expect(nested.stdout.hasPrefix("OVERVIEW: List records (global and sessions).\n\nUSAGE: raaid memory list"))
        let unknown = try await RaaidProcess.run(["help", "rnu"])
        #expect(unknown.exitCode == 2)
        #expect(unknown.stderr.hasPrefix("Error: no help for unknown command 'rnu'; did you mean 'run'?"))
    }

    @Test func runHelp_goldenText() {
        let text = HelpFormatter(width: 80).help(for: CommandTree.run, path: ["raaid", "run"])
        let expected = """
            OVERVIEW: Research, plan and implement a task; prints NDJSON events on stdout.

            The task comes from a file, from standard input ('-') or from --message. stdout
            carries only events (docs/events.md); the last line is always run.completed and
            the exit code matches its status: 0 success, 1 failed, 2 usage, 3 configuration,
            4 provider, 5 limit, 6 permission, 130/143 signals, 141 output closed.

            USAGE: raaid run [<task>] [--message <text>] [--workspace <dir>] [--memory-dir
                   <dir>] [--session <name>] [--research-only] [--max-related <n>]
                   [--max-snippets <n>] [--progress] [--quiet] [--provider <name>] [--model
                   <name>] [--base-url <url>] [--record <file>] [--replay <file>]
                   [--plan-only] [--resume <run>] [--allow <rule>] [--cowboy-mode]
                   [--fail-on-denial] [--answers <file>] [--test-cmd <command>]
                   [--auto-test] [--max-test-retries <n>] [--max-turns <n>]
                   [--max-turns-per-phase <n>] [--max-cost <usd>] [--max-tokens <n>]
                   [--timeout <seconds>] [--context-window <tokens>] [--stream-deltas]

            ARGUMENTS:
              <task>                    Task file (Markdown), or '-' to read standard input.

            OPTIONS:
              -m, --message <text>      The task text itself, instead of a file.
              --workspace <dir>         Workspace root. (default: the current directory)
              --memory-dir <dir>        Memory directory. (default: <workspace>/.raaid)
              --session <name>          Session to write memory to. (default: a new session
                                        per run)
              --research-only           Stop after research (needs no model).
              --max-related <n>         Related files to record, 1 to 100. (default: 10)
              --max-snippets <n>        Key snippets to record, 0 to 50. (default: 5)
              --progress                Human progress on stderr even when it is not a
                                        terminal.
              -q, --quiet               No human output on stderr except errors.
              --provider <name>         Model provider. (values: anthropic, openai, replay,
                                        none) (default: $RAAID_PROVIDER, else from the API
                                        key set)
              --model <name>            Model name. (default: $RAAID_MODEL, else the
                                        provider's default)
              --base-url <url>          Provider base URL (OpenAI-compatible servers:
                                        Ollama, vLLM, llama.cpp, LM Studio, OpenRouter).
                                        (default: $OPENAI_BASE_URL / $ANTHROPIC_BASE_URL)
              --record <file>           Record every model exchange to this file (JSON
                                        Lines).
              --replay <file>           Replay a recorded session offline instead of calling
                                        a model.
              --plan-only               Stop after planning.
              --resume <run>            Continue a failed or cancelled run from its last
                                        completed task.
              --allow <rule>            Allow tool calls, e.g. 'shell(swift test*)',
                                        'write(Sources/**)' (repeatable).
              --cowboy-mode             Allow every shell command without asking.
              --fail-on-denial          End the run with exit 6 when a tool call is denied.
              --answers <file>          JSON answers for ask_human questions (id or text ->
                                        answer).
              --test-cmd <command>      Test command run after implementation (allowed
                                        automatically).
              --auto-test               Run the detected test command after implementation.
              --max-test-retries <n>    Fix attempts when the tests fail. (default: 2)
              --max-turns <n>           Model turns in the whole run. (default: 150)
              --max-turns-per-phase <n>
                                        Model turns per phase. (default: 50)
              --max-cost <usd>          Stop when the run has cost this much (USD).
                                        (default: no limit)
              --max-tokens <n>          Stop after this many tokens in all. (default: no
                                        limit)
              --timeout <seconds>       Stop the run after this long. (default: no limit)
              --context-window <tokens>
                                        Context window to stay under. (default: the model's)
              --stream-deltas           Emit item.delta events while the model streams text.
              -h, --help                Show help information.

            """
        #expect(text.hasPrefix(expected))
        #expect(text.contains("\nEXAMPLES:\n  raaid run examples/"))
    }

    @Test func everyOptionHasHelpAndValuedOptionsShowDefaultsOrNone() {
        func walk(_ command: CommandSpec) {
            for option in command.options { #expect(!option.help.isEmpty, "\(command.name) \(option.names)") }
            command.subcommands.forEach(walk)
        }
        walk(CommandTree.root)
    }

    @Test func editDistance_transpositions() {
        #expect(UsageError.editDistance("--reserch-only", "--research-only") == 1)
        #expect(UsageError.editDistance("rnu", "run") == 1)
        #expect(UsageError.closest(to: "--zzzzzzz", in: ["--workspace"]) == nil)
    }
}
