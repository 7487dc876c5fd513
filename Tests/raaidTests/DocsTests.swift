import Foundation
import Memory
import Phases
import Testing

/// Documentation stays honest: the published schema, its embedded copy and the examples in the docs.
@Suite struct DocsTests {
    @Test func embeddedSchema_matchesPublishedFile() async throws {
        let file = try String(contentsOf: RepositoryPaths.root.appendingPathComponent("docs/events.schema.json"), encoding: .utf8)
        #expect(EventSchema.json + "\n" == file, "run scripts/sync-schema.sh after editing docs/events.schema.json")
        let printed = try await RaaidProcess.run(["schema", "events"])
        #expect(printed.exitCode == 0)
        #expect(printed.stdout == file)
    }

    @Test func schema_usesOnlyKeywordsTheValidatorChecks() {
        // An event that breaks a rule must be caught: a validator that accepts everything proves nothing.
        let validator = SchemaValidator(root: RepositoryPaths.eventSchema.value)
        let bad: JSONValue = ["v": 1, "seq": 0, "ts": "yesterday", "run": "r", "type": "run.completed", "status": "fine"]
        let problems = validator.validate(bad)
        #expect(problems.contains { $0.contains("seq") })
        #expect(problems.contains { $0.contains("ts") })
        #expect(problems.contains { $0.contains("status") })
        #expect(problems.contains { $0.contains("missing required 'exit_code'") })
        #expect(!problems.contains { $0.contains("not supported") })
    }

    /// Every ```json block in docs/events.md and README.md holds events (one per line) that must validate.
    @Test(arguments: ["docs/events.md", "README.md"])
    func examplesInDocs_validate(_ path: String) async throws {
        let text = try String(contentsOf: RepositoryPaths.root.appendingPathComponent(path), encoding: .utf8)
        let validator = SchemaValidator(root: RepositoryPaths.eventSchema.value)
        var inBlock = false
        var checked = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") {
                inBlock = line == "```ndjson"
                continue
            }
            guard inBlock, !line.isEmpty else { continue }
            let event = try JSONValue.parse(String(line))
            #expect(validator.validate(event).isEmpty, "\(path): \(validator.validate(event)) in \(line)")
            checked += 1
        }
        #expect(checked > 0, "\(path) has ```ndjson examples")
    }

    @Test func everyEventTypeIsDocumented() async throws {
        let text = try String(contentsOf: RepositoryPaths.root.appendingPathComponent("docs/events.md"), encoding: .utf8)
        let schema = RepositoryPaths.eventSchema.value
        let types = schema["$defs"]?.objectValue?.keys.filter { $0.contains(".") || ["progress", "error"].contains($0) } ?? []
        #expect(types.count >= 10)
        for type in types { #expect(text.contains("### `\(type)`"), "docs/events.md documents \(type)") }
        for reason in RunOutcome.Reason.allCases {
            #expect(text.contains("`\(reason.rawValue)`"), "docs/events.md documents reason \(reason.rawValue)")
        }
    }
}

/// docs/cli.md shows exactly what `raaid help` prints.
@Suite struct CLIDocsTests {
    @Test func cliReference_matchesHelpOutput() async throws {
        let text = try String(contentsOf: RepositoryPaths.root.appendingPathComponent("docs/cli.md"), encoding: .utf8)
        for path in [[], ["run"], ["serve"], ["memory"], ["memory", "list"], ["memory", "wipe"], ["schema"]] {
            let help = try await RaaidProcess.run(["help"] + path)
            #expect(help.exitCode == 0)
            #expect(text.contains("```text\n" + help.stdout + "```"), "docs/cli.md is stale for \(path); run scripts/gen-cli-docs.sh")
        }
    }
}
