/// A command-line option: a flag (`--research-only`) or an option taking a value (`--workspace <dir>`).
struct OptionSpec: Sendable {
    /// Spellings, short first: `["-m", "--message"]`.
    var names: [String]
    /// The value placeholder (`dir`), or nil for a flag.
    var valueName: String?
    /// One-line help.
    var help: String
    /// Shown as `(default: …)` in help.
    var defaultDescription: String?
    /// When set, the value must be one of these.
    var allowedValues: [String]?
    /// Whether the option may be given more than once.
    var isRepeatable = false
    /// Hidden from help (still parsed).
    var isHidden = false

    /// The canonical key: the long spelling without dashes.
    var key: String { String((names.last ?? "").drop { $0 == "-" }) }
    /// Whether this option takes no value.
    var isFlag: Bool { valueName == nil }

    /// A flag.
    static func flag(_ names: String..., help: String, hidden: Bool = false) -> OptionSpec {
        OptionSpec(names: names, valueName: nil, help: help, isHidden: hidden)
    }

    /// An option with a value.
    static func option(
        _ names: String..., value: String, help: String, default defaultDescription: String? = nil,
        allowed: [String]? = nil, repeatable: Bool = false
    ) -> OptionSpec {
        OptionSpec(
            names: names, valueName: value, help: help, defaultDescription: defaultDescription,
            allowedValues: allowed, isRepeatable: repeatable)
    }

    /// `-h, --help`, present on every command.
    static let help = OptionSpec.flag("-h", "--help", help: "Show help information.")
}

/// A positional argument.
struct ArgumentSpec: Sendable {
    /// Placeholder shown as `<name>`.
    var name: String
    /// One-line help.
    var help: String
    /// Whether it may be omitted.
    var isOptional = true
    /// Whether it takes all remaining positionals.
    var isVariadic = false
}

/// A command: its name, help text, arguments, options and subcommands.
struct CommandSpec: Sendable {
    /// The word that selects it (`run`).
    var name: String
    /// One-line summary (OVERVIEW).
    var abstract: String
    /// Paragraphs after the overview.
    var discussion: String?
    /// Positionals in order.
    var arguments: [ArgumentSpec] = []
    /// Options, without `--help` (added automatically).
    var options: [OptionSpec] = []
    /// Nested commands.
    var subcommands: [CommandSpec] = []
    /// Example invocations shown under EXAMPLES.
    var examples: [String] = []

    /// All options including `--help`.
    var allOptions: [OptionSpec] { options + [.help] }

    /// The subcommand named `name`.
    func subcommand(named name: String) -> CommandSpec? { subcommands.first { $0.name == name } }
}
