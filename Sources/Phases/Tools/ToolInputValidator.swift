import Memory

/// Checks a tool input against the subset of JSON Schema that tool definitions use.
///
/// Supported: an object root with `properties`, `required` and `additionalProperties: false`; property `type`
/// (`string`, `integer`, `number`, `boolean`, `array`, `object`), `enum`, `minimum`, `maximum` and string array
/// `items`. Messages name the tool and the field, e.g. `read_file: "path" is required (string)`.
public enum ToolInputValidator {
    /// Validates `input` for `tool` against `schema`.
    /// - Throws: ``ToolError`` with code `invalid_input`.
    public static func validate(_ input: JSONValue, schema: JSONValue, tool: String) throws(ToolError) {
        guard case .object(let object) = input else {
            throw .invalidInput("\(tool): input must be a JSON object, got \(describe(input))")
        }
        let properties = schema["properties"]?.objectValue ?? [:]
        for case .string(let name) in schema["required"]?.arrayValue ?? [] {
            let present = object[name].map { $0 != .null } ?? false
            if !present {
                let type = properties[name]?["type"]?.stringValue ?? "value"
                throw .invalidInput("\(tool): \"\(name)\" is required (\(type))")
            }
        }
        if schema["additionalProperties"] == .bool(false) {
            for key in object.keys where properties[key] == nil {
                let known = properties.keys.map { "\"\($0)\"" }.joined(separator: ", ")
                throw .invalidInput("\(tool): unknown field \"\(key)\"; the fields are \(known)")
            }
        }
        for (name, value) in object.pairs {
            guard let rule = properties[name], value != .null else { continue }
            try check(value, rule: rule, field: name, tool: tool)
        }
    }

    private static func check(_ value: JSONValue, rule: JSONValue, field: String, tool: String) throws(ToolError) {
        let type = rule["type"]?.stringValue ?? "any"
        let fits: Bool
        switch type {
        case "string": fits = value.stringValue != nil
        case "integer": fits = value.intValue != nil
        case "number": fits = value.doubleValue != nil
        case "boolean": fits = value.boolValue != nil
        case "array": fits = value.arrayValue != nil
        case "object": fits = value.objectValue != nil
        default: fits = true
        }
        guard fits else {
            throw .invalidInput("\(tool): \"\(field)\" must be \(article(type)) \(type), got \(describe(value))")
        }
        if let allowed = rule["enum"]?.arrayValue, !allowed.contains(value) {
            let list = allowed.compactMap(\.stringValue).map { "\"\($0)\"" }.joined(separator: ", ")
            throw .invalidInput("\(tool): \"\(field)\" must be one of \(list), got \(describe(value))")
        }
        if let number = value.doubleValue {
            if let minimum = rule["minimum"]?.doubleValue, number < minimum {
                throw .invalidInput("\(tool): \"\(field)\" must be at least \(format(minimum)), got \(describe(value))")
            }
            if let maximum = rule["maximum"]?.doubleValue, number > maximum {
                throw .invalidInput("\(tool): \"\(field)\" must be at most \(format(maximum)), got \(describe(value))")
            }
        }
        if type == "array", let itemType = rule["items"]?["type"]?.stringValue, let items = value.arrayValue {
            for (index, item) in items.enumerated() {
                try check(item, rule: ["type": .string(itemType)], field: "\(field)[\(index)]", tool: tool)
            }
        }
    }

    private static func article(_ type: String) -> String {
        type == "integer" || type == "array" || type == "object" || type == "any" ? "an" : "a"
    }

    private static func format(_ number: Double) -> String {
        number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
    }

    /// A short rendering of a value for error messages.
    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let b): return "boolean \(b)"
        case .int, .double: return "number \(value.serialized())"
        case .string(let s): return "string \(JSONValue.string(String(s.prefix(60))).serialized())"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}
