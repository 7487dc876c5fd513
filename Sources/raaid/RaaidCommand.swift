#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Musl)
@preconcurrency import Musl
#endif

/// The executable: parse, dispatch, exit with the documented code. One top-level `catch` for usage errors.
@main
enum RaaidCommand {
    static func main() async {
        signal(SIGPIPE, SIG_IGN)
        let arguments = Array(CommandLine.arguments.dropFirst())
        // Fast path: `raaid --version` is benchmarked and should not pay for anything else.
        if arguments == ["--version"] {
            Console.out("raaid \(CommandTree.version)\n")
            exit(0)
        }
        exit(await execute(arguments))
    }

    /// Runs one command line and returns the exit code.
    static func execute(_ arguments: [String]) async -> Int32 {
        let parser = ArgumentParser(root: CommandTree.root)
        do {
            let (command, parsed) = try parser.parse(arguments)
            return try await dispatch(command, parsed)
        } catch {
            return report(error)
        }
    }

    private static func dispatch(_ command: CommandSpec, _ parsed: ParsedArguments) async throws(UsageError) -> Int32 {
        let path = ["raaid"] + parsed.commandPath
        if parsed.has("help") {
            Console.out(HelpFormatter().help(for: command, path: path))
            return 0
        }
        switch parsed.commandPath.first {
        case nil:
            if parsed.has("version") {
                Console.out("raaid \(CommandTree.version)\n")
                return 0
            }
            Console.out(HelpFormatter().help(for: command, path: path))
            return 0
        case "run":
            return await RunCommand(parsed: parsed).execute()
        case "memory":
            guard parsed.commandPath.count > 1 else {
                Console.out(HelpFormatter().help(for: command, path: path))
                return 0
            }
            return try MemoryCommand(parsed: parsed).execute()
        case "serve":
            return try await ServeCommand(parsed: parsed).execute()
        case "schema":
            return try SchemaCommand(parsed: parsed).execute()
        case "help":
            return try help(for: parsed.positionals)
        default:
            return 0
        }
    }

    /// `raaid help run`, `raaid help memory list`.
    private static func help(for words: [String]) throws(UsageError) -> Int32 {
        var command = CommandTree.root
        var path = ["raaid"]
        for word in words {
            guard let sub = command.subcommand(named: word) else {
                let names = command.subcommands.map(\.name)
                var message = "no help for unknown command '\(word)'"
                if let guess = UsageError.closest(to: word, in: names) { message += "; did you mean '\(guess)'?" }
                throw UsageError(message, commandPath: ["help"], code: "unknown_command")
            }
            command = sub
            path.append(word)
        }
        Console.out(HelpFormatter().help(for: command, path: path))
        return 0
    }

    /// Prints a usage error the swift-argument-parser way and returns exit code 2.
    private static func report(_ error: UsageError) -> Int32 {
        if error.commandPath.first == "run" {
            RunCommand.emitUsageFailure(error)
        }
        var command = CommandTree.root
        for word in error.commandPath { command = command.subcommand(named: word) ?? command }
        let path = ["raaid"] + error.commandPath
        let formatter = HelpFormatter()
        Console.err(
            "Error: \(error.message)\nUsage: \(formatter.usage(for: command, path: path))\n"
                + "  See '\(path.joined(separator: " ")) --help' for more information.\n")
        return 2
    }
}
