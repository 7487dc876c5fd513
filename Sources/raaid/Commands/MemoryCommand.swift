import Memory
import Phases

/// `raaid memory list|show|search|export|wipe|sessions`: inspect the memory directory.
///
/// Exit codes: 0 done, 1 no such record, 2 usage, 3 the memory directory cannot be used.
struct MemoryCommand {
    let parsed: ParsedArguments

    func execute() throws(UsageError) -> Int32 {
        let subcommand = parsed.commandPath.last ?? ""
        let path = ["memory", subcommand]
        let memory: MemoryStore
        do {
            let workspace = try RunConfiguration.resolveWorkspace(parsed.value("workspace") ?? ".")
            let directory = parsed.value("memory-dir").map(RunConfiguration.absolute) ?? workspace + "/.raaid"
            memory = try Self.openStore(directory, create: false)
        } catch {
            Console.err("Error: \(error.message)\n")
            return error.reason.exitCode
        }
        let kind = parsed.value("kind").map { MemoryKind(rawValue: $0) }
        do {
            switch subcommand {
            case "list":
                let result = parsed.value("session").map { session in Result { try memory.read(session: session, kind: kind) } }
                    ?? Result { try memory.readAll(kind: kind) }
                try print(result.get())
            case "search":
                let query = parsed.positionals.joined(separator: " ")
                try print(memory.search(query, session: parsed.value("session"), kind: kind))
            case "export":
                let result = try parsed.value("session").map { try memory.read(session: $0, kind: kind) }
                    ?? memory.readAll(kind: kind)
                report(result.warnings)
                for record in result.records { Console.out(record.json.serialized() + "\n") }
            case "show":
                return try show(memory)
            case "sessions":
                let sessions = try memory.sessions()
                for session in sessions {
                    Console.out(parsed.has("json") ? JSONValue.object(["session": .string(session)]).serialized() + "\n" : session + "\n")
                }
            case "wipe":
                return try wipe(memory, path: path)
            default:
                throw UsageError("unknown memory command '\(subcommand)'", commandPath: ["memory"])
            }
        } catch let error as UsageError {
            throw error
        } catch {
            Console.err("Error: \(error)\n")
            return 3
        }
        return 0
    }

    private func show(_ memory: MemoryStore) throws -> Int32 {
        let prefix = parsed.positionals.first ?? ""
        let result = try memory.readAll()
        report(result.warnings)
        let matches = result.records.filter { $0.id.hasPrefix(prefix) }
        let unique = Dictionary(grouping: matches, by: \.id)
        guard unique.count == 1, let record = matches.last else {
            let what = unique.isEmpty ? "no record has an id starting with '\(prefix)'"
                : "'\(prefix)' matches \(unique.count) records; give more characters of the id"
            Console.err("Error: \(what); see 'raaid memory list'\n")
            return 1
        }
        if parsed.has("json") {
            Console.out(record.json.serialized() + "\n")
            return 0
        }
        var out = "id:      \(record.id)\nkind:    \(record.kind.rawValue)\nscope:   \(record.scope.rawValue)\n"
        out += "session: \(record.session)\nrun:     \(record.run ?? "-")\nphase:   \(record.phase ?? "-")\n"
        out += "time:    \(record.time)\n"
        for (key, value) in record.data.pairs {
            let text = value.stringValue ?? value.serialized()
            out += text.contains("\n") ? "\(key):\n\(text)\n" : "\(key): \(text)\n"
        }
        Console.out(out)
        return 0
    }

    private func wipe(_ memory: MemoryStore, path: [String]) throws -> Int32 {
        let session = parsed.value("session")
        if session == nil && !parsed.has("all") {
            throw UsageError("say what to wipe: --session NAME or --all", commandPath: path, code: "missing_option")
        }
        if session != nil && parsed.has("all") {
            throw UsageError("--session and --all cannot be used together", commandPath: path, code: "conflicting_options")
        }
        guard parsed.has("yes") else {
            throw UsageError(
                "refusing to wipe without --yes; a wipe cannot be undone (export first: raaid memory export > backup.jsonl)",
                commandPath: path, code: "confirmation_required")
        }
        try memory.wipe(session: session)
        Console.err(session.map { "Wiped session \($0).\n" } ?? "Wiped all records (run logs kept).\n")
        return 0
    }

    private func print(_ result: MemoryReadResult) {
        report(result.warnings)
        if parsed.has("json") {
            for record in result.records { Console.out(record.json.serialized() + "\n") }
            return
        }
        if result.records.isEmpty {
            Console.err("No records.\n")
            return
        }
        for record in result.records {
            Console.out("\(record.id)  \(pad(record.kind.rawValue, 13))  \(pad(record.scope.rawValue, 7))  \(summary(of: record))\n")
        }
    }

    private func summary(of record: MemoryRecord) -> String {
        let data = record.data
        var text = data["path"]?.stringValue.map { path in
            data["start_line"]?.intValue.map { "\(path):\($0)-\(data["end_line"]?.intValue ?? $0)" } ?? path
        } ?? data["text"]?.stringValue ?? data["title"]?.stringValue ?? JSONValue.object(data).serialized()
        text = text.split(separator: "\n").first.map(String.init) ?? ""
        return text.count > 90 ? String(text.prefix(89)) + "…" : text
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - text.count))
    }

    private func report(_ warnings: [MemoryWarning]) {
        for warning in warnings { Console.err("warning: \(warning)\n") }
    }

    /// Opens a memory directory, mapping failures to a configuration error (exit 3).
    static func openStore(_ directory: String, create: Bool) throws(RunError) -> MemoryStore {
        do {
            return try MemoryStore(directory: directory, create: create)
        } catch {
            let code: String =
                switch error {
                case .unsupportedFormatVersion, .invalidFormatFile: "memory_format_unsupported"
                default: "memory_unavailable"
                }
            return try { () throws(RunError) in
                throw RunError(code: code, message: error.description, reason: .configurationError)
            }()
        }
    }
}
