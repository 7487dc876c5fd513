/// The result of parsing a command line against a ``CommandSpec``.
struct ParsedArguments: Sendable, Equatable {
    /// The command path selected (`["memory", "list"]`).
    var commandPath: [String] = []
    /// Option values by key (long name without dashes), in the order given.
    var values: [String: [String]] = [:]
    /// Flags given, by key.
    var flags: Set<String> = []
    /// Positional arguments.
    var positionals: [String] = []

    /// Whether flag `key` was given.
    func has(_ key: String) -> Bool { flags.contains(key) }
    /// The last value of option `key`.
    func value(_ key: String) -> String? { values[key]?.last }
    /// Every value of a repeatable option.
    func allValues(_ key: String) -> [String] { values[key] ?? [] }
    /// Whether option or flag `key` was given at all.
    func isPresent(_ key: String) -> Bool { flags.contains(key) || values[key] != nil }
}

/// A hand-written parser with swift-argument-parser's feel: `--opt value`, `--opt=value`, `-m value`,
/// `--` to end options, `-` as a positional, did-you-mean for typos, exit code 2 for mistakes.
struct ArgumentParser {
    let root: CommandSpec

    /// Parses `arguments` (without the program name).
    /// - Throws: ``UsageError`` describing the first problem found.
    func parse(_ arguments: [String]) throws(UsageError) -> (CommandSpec, ParsedArguments) {
        var command = root
        var parsed = ParsedArguments()
        var index = 0
        var onlyPositionals = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if onlyPositionals || argument == "-" || !argument.hasPrefix("-") {
                if parsed.positionals.isEmpty, !onlyPositionals, let sub = command.subcommand(named: argument) {
                    command = sub
                    parsed.commandPath.append(sub.name)
                    continue
                }
                if parsed.positionals.isEmpty, !command.subcommands.isEmpty, command.arguments.isEmpty {
                    let names = command.subcommands.map(\.name)
                    var message = "unknown command '\(argument)'"
                    if let guess = UsageError.closest(to: argument, in: names) {
                        message += "; did you mean '\(guess)'?"
                    } else {
                        message += "; expected one of: \(names.joined(separator: ", "))"
                    }
                    throw UsageError(message, commandPath: parsed.commandPath, code: "unknown_command")
                }
                parsed.positionals.append(argument)
                continue
            }
            if argument == "--" {
                onlyPositionals = true
                continue
            }
            var name = argument
            var inlineValue: String?
            if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                inlineValue = String(argument[argument.index(after: equals)...])
            }
            guard let option = command.allOptions.first(where: { $0.names.contains(name) }) else {
                let candidates = command.allOptions.filter { !$0.isHidden }.flatMap(\.names).filter { $0.hasPrefix("--") }
                throw UsageError.unknownOption(name, candidates: candidates, commandPath: parsed.commandPath)
            }
            if option.isFlag {
                if inlineValue != nil {
                    throw UsageError("option '\(name)' takes no value", commandPath: parsed.commandPath)
                }
                parsed.flags.insert(option.key)
                continue
            }
            let value: String
            if let inlineValue {
                value = inlineValue
            } else if index < arguments.count, !looksLikeOption(arguments[index], in: command) {
                value = arguments[index]
                index += 1
            } else {
                throw UsageError(
                    "missing value for '\(name) <\(option.valueName ?? "value")>'", commandPath: parsed.commandPath,
                    code: "missing_value")
            }
            if let allowed = option.allowedValues, !allowed.contains(value) {
                throw UsageError(
                    "invalid value '\(value)' for '\(name)'; expected one of: \(allowed.joined(separator: ", "))",
                    commandPath: parsed.commandPath, code: "invalid_value")
            }
            if !option.isRepeatable, parsed.values[option.key] != nil {
                throw UsageError(
                    "option '\(name)' was given more than once", commandPath: parsed.commandPath, code: "duplicate_option")
            }
            parsed.values[option.key, default: []].append(value)
        }
        if parsed.has("help") { return (command, parsed) }
        let maxPositionals = command.arguments.contains { $0.isVariadic } ? Int.max : command.arguments.count
        if parsed.positionals.count > maxPositionals {
            let extra = parsed.positionals[maxPositionals]
            throw UsageError("unexpected argument '\(extra)'", commandPath: parsed.commandPath, code: "unexpected_argument")
        }
        let required = command.arguments.filter { !$0.isOptional }.count
        if parsed.positionals.count < required {
            let missing = command.arguments[parsed.positionals.count]
            throw UsageError("missing argument <\(missing.name)>", commandPath: parsed.commandPath, code: "missing_argument")
        }
        return (command, parsed)
    }

    /// A following word is taken as a value unless it is a known option of this command.
    private func looksLikeOption(_ word: String, in command: CommandSpec) -> Bool {
        guard word.hasPrefix("-"), word != "-" else { return false }
        let name = word.split(separator: "=", maxSplits: 1).first.map(String.init) ?? word
        return command.allOptions.contains { $0.names.contains(name) } || word.hasPrefix("--")
    }
}
