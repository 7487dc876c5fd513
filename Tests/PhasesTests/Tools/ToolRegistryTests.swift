import Memory
import Testing

@testable import Phases

@Suite struct ToolRegistryTests {
    @Test func phases_getTheRightTools() {
        let registry = ToolRegistry.standard()
        let research = registry.definitions(for: .research).map(\.name)
        #expect(
            research == [
                "list_directory", "find_files", "search", "read_file", "record_fact", "record_snippet",
                "record_related_file", "research_note",
            ])
        #expect(registry.tools(for: .research).allSatisfy { $0.access == .read || $0.access == .memory })
        #expect(registry.definitions(for: .planning).map(\.name).contains("ask_human"))
        #expect(!registry.definitions(for: .planning).map(\.name).contains("write_file"))
        #expect(registry.definitions(for: .implementation).count == 13)
    }

    @Test func definitions_haveDescriptionsAndObjectSchemas() {
        for definition in ToolRegistry.standard().definitions(for: .implementation) {
            #expect(definition.description.count > 40, "\(definition.name)")
            #expect(definition.inputSchema["type"] == "object", "\(definition.name)")
            #expect(definition.inputSchema["additionalProperties"] == false, "\(definition.name)")
            let properties = definition.inputSchema["properties"]?.objectValue ?? [:]
            for case .string(let required) in definition.inputSchema["required"]?.arrayValue ?? [] {
                #expect(properties[required] != nil, "\(definition.name).\(required)")
            }
            for (name, schema) in properties.pairs {
                #expect(schema["description"]?.stringValue?.isEmpty == false, "\(definition.name).\(name)")
            }
        }
    }

    @Test func unknownTool_isAnErrorOutputNamingTheTools() async throws {
        let fixture = try ToolFixture()
        defer { fixture.remove() }
        let output = try await call("delete_everything", [:], in: fixture)
        #expect(output.isError && output.metadata["error_code"] == "unknown_tool")
        #expect(output.text.contains("read_file"))
    }

    @Test func validator_messages() {
        let schema = JSONSchema.object(
            [
                ("name", JSONSchema.string("n")), ("count", JSONSchema.integer("c", minimum: 1, maximum: 5)),
                ("mode", JSONSchema.oneOf(["a", "b"], "m")), ("tags", JSONSchema.strings("t")),
            ], required: ["name"])
        func message(_ input: JSONValue) -> String? {
            do {
                try ToolInputValidator.validate(input, schema: schema, tool: "t")
                return nil
            } catch {
                return error.message
            }
        }
        #expect(message(["name": "x"]) == nil)
        #expect(message([:]) == "t: \"name\" is required (string)")
        #expect(message(["name": nil]) == "t: \"name\" is required (string)")
        #expect(message(["name": 1]) == "t: \"name\" must be a string, got number 1")
        #expect(message(["name": "x", "count": 9]) == "t: \"count\" must be at most 5, got number 9")
        #expect(message(["name": "x", "count": 2.5]) == "t: \"count\" must be an integer, got number 2.5")
        #expect(message(["name": "x", "mode": "c"]) == "t: \"mode\" must be one of \"a\", \"b\", got string \"c\"")
        #expect(message(["name": "x", "tags": ["a", 1]]) == "t: \"tags[1]\" must be a string, got number 1")
        #expect(
            message(["name": "x", "other": 1])
                == "t: unknown field \"other\"; the fields are \"name\", \"count\", \"mode\", \"tags\"")
    }
}
