import Phases

/// `raaid schema events`: prints a published JSON Schema.
struct SchemaCommand {
    let parsed: ParsedArguments

    func execute() throws(UsageError) -> Int32 {
        let name = parsed.positionals.first ?? ""
        switch name {
        case "events":
            Console.out(EventSchema.json + "\n")
            return 0
        default:
            throw UsageError(
                "unknown schema '\(name)'; available: events", commandPath: ["schema"], code: "invalid_value")
        }
    }
}
