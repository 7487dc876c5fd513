#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Musl)
@preconcurrency import Musl
#endif

/// Renders OVERVIEW / USAGE / ARGUMENTS / OPTIONS / SUBCOMMANDS / EXAMPLES, wrapped to `$COLUMNS`.
struct HelpFormatter {
    var width: Int
    private let labelWidth = 28

    /// A formatter for `width` columns (defaults to `$COLUMNS`, else 80).
    init(width: Int? = nil) {
        if let width {
            self.width = width
        } else if let columns = getenv("COLUMNS").flatMap({ Int(String(cString: $0)) }), columns >= 40 {
            self.width = min(columns, 120)
        } else {
            self.width = 80
        }
    }

    /// The full help text for `command`, reached by `path` (`["raaid", "run"]`).
    func help(for command: CommandSpec, path: [String]) -> String {
        var out = wrap("OVERVIEW: \(command.abstract)", indent: 0) + "\n"
        if let discussion = command.discussion {
            out += "\n" + discussion.split(separator: "\n", omittingEmptySubsequences: false)
                .map { wrap(String($0), indent: 0) }.joined(separator: "\n") + "\n"
        }
        out += "\nUSAGE: \(usage(for: command, path: path))\n"
        if !command.arguments.isEmpty {
            out += "\nARGUMENTS:\n"
            for argument in command.arguments {
                out += row(label: "<\(argument.name)>" + (argument.isVariadic ? " ..." : ""), help: argument.help)
            }
        }
        out += "\nOPTIONS:\n"
        for option in command.allOptions where !option.isHidden {
            var help = option.help
            if let allowed = option.allowedValues { help += " (values: \(allowed.joined(separator: ", ")))" }
            if let defaultDescription = option.defaultDescription { help += " (default: \(defaultDescription))" }
            out += row(label: label(for: option), help: help)
        }
        if !command.subcommands.isEmpty {
            out += "\nSUBCOMMANDS:\n"
            for sub in command.subcommands { out += row(label: sub.name, help: sub.abstract) }
            out += "\n  See '\(path.joined(separator: " ")) help <subcommand>' for detailed help.\n"
        }
        if !command.examples.isEmpty {
            out += "\nEXAMPLES:\n"
            for example in command.examples { out += "  \(example)\n" }
        }
        return out
    }

    /// The one-line usage: `raaid run [<task>] [--message <text>] …`.
    func usage(for command: CommandSpec, path: [String]) -> String {
        var parts = [path.joined(separator: " ")]
        if !command.subcommands.isEmpty && command.arguments.isEmpty { parts.append("<subcommand>") }
        for argument in command.arguments {
            let text = "<\(argument.name)>" + (argument.isVariadic ? " ..." : "")
            parts.append(argument.isOptional ? "[\(text)]" : text)
        }
        for option in command.options where !option.isHidden {
            let name = option.names.last ?? ""
            parts.append(option.isFlag ? "[\(name)]" : "[\(name) <\(option.valueName ?? "value")>]")
        }
        return wrap(parts.joined(separator: " "), indent: 7, firstIndent: 7).dropFirst(7).description
    }

    private func label(for option: OptionSpec) -> String {
        let names = option.names.joined(separator: ", ")
        return option.isFlag ? names : "\(names) <\(option.valueName ?? "value")>"
    }

    private func row(label: String, help: String) -> String {
        let prefix = "  " + label
        let wrapped = wrap(help, indent: labelWidth)
        if prefix.count + 2 <= labelWidth {
            let padded = prefix + String(repeating: " ", count: labelWidth - prefix.count)
            return padded + wrapped.dropFirst(labelWidth) + "\n"
        }
        return prefix + "\n" + wrapped + "\n"
    }

    /// Word-wraps `text` to the width; continuation lines are indented by `indent`.
    func wrap(_ text: String, indent: Int, firstIndent: Int? = nil) -> String {
        var lines: [String] = []
        var current = String(repeating: " ", count: firstIndent ?? indent)
        var currentHasWord = false
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            if currentHasWord && current.count + 1 + word.count > width {
                lines.append(current)
                current = String(repeating: " ", count: indent)
                currentHasWord = false
            }
            current += (currentHasWord ? " " : "") + word
            currentHasWord = true
        }
        lines.append(current)
        return lines.joined(separator: "\n")
    }
}
