import Foundation
import Memory

/// A small JSON Schema (2020-12) validator covering the keywords docs/events.schema.json uses:
/// type, const, enum, required, properties, additionalProperties, items, minItems, minimum, minLength,
/// pattern, allOf, anyOf, oneOf, if/then/else and local `$ref`s. An unsupported keyword is an error,
/// so the schema cannot quietly use something this validator ignores.
struct SchemaValidator {
    let root: JSONValue

    static let supported: Set<String> = [
        "$schema", "$id", "title", "description", "type", "const", "enum", "required", "properties",
        "additionalProperties", "items", "minItems", "minimum", "minLength", "pattern", "allOf", "anyOf", "oneOf",
        "if", "then", "else", "$ref", "$defs",
    ]

    /// Every problem found in `value`, as `path: message`; empty when valid.
    func validate(_ value: JSONValue) -> [String] {
        var errors: [String] = []
        check(value, against: root, path: "$", errors: &errors)
        return errors
    }

    private func resolve(_ reference: String) -> JSONValue? {
        guard reference.hasPrefix("#/") else { return nil }
        var node: JSONValue? = root
        for part in reference.dropFirst(2).split(separator: "/") { node = node?[String(part)] }
        return node
    }

    private func check(_ value: JSONValue, against schema: JSONValue, path: String, errors: inout [String]) {
        if case .bool(let allowed) = schema {
            if !allowed { errors.append("\(path): not allowed") }
            return
        }
        guard let object = schema.objectValue else {
            errors.append("\(path): schema is not an object")
            return
        }
        for key in object.keys where !Self.supported.contains(key) {
            errors.append("\(path): schema keyword '\(key)' is not supported by the test validator")
        }
        if let reference = object["$ref"]?.stringValue {
            guard let target = resolve(reference) else {
                errors.append("\(path): unresolvable $ref \(reference)")
                return
            }
            check(value, against: target, path: path, errors: &errors)
        }
        if let type = object["type"] {
            let names = type.arrayValue?.compactMap(\.stringValue) ?? [type.stringValue ?? ""]
            if !names.contains(where: { matches(value, type: $0) }) {
                errors.append("\(path): expected \(names.joined(separator: " or ")), got \(value.serialized().prefix(60))")
                return
            }
        }
        if let constant = object["const"], !equal(constant, value) {
            errors.append("\(path): expected \(constant.serialized())")
        }
        if let options = object["enum"]?.arrayValue, !options.contains(where: { equal($0, value) }) {
            errors.append("\(path): \(value.serialized().prefix(60)) is not one of \(JSONValue.array(options).serialized())")
        }
        if let minimum = object["minimum"]?.doubleValue, let number = value.doubleValue, number < minimum {
            errors.append("\(path): \(number) is below the minimum \(minimum)")
        }
        if let string = value.stringValue {
            if let minLength = object["minLength"]?.intValue, string.count < minLength {
                errors.append("\(path): shorter than \(minLength)")
            }
            if let pattern = object["pattern"]?.stringValue,
                string.range(of: pattern, options: .regularExpression) == nil
            {
                errors.append("\(path): '\(string.prefix(60))' does not match \(pattern)")
            }
        }
        if let items = value.arrayValue {
            if let minItems = object["minItems"]?.intValue, items.count < minItems {
                errors.append("\(path): fewer than \(minItems) items")
            }
            if let itemSchema = object["items"] {
                for (index, item) in items.enumerated() {
                    check(item, against: itemSchema, path: "\(path)[\(index)]", errors: &errors)
                }
            }
        }
        if let members = value.objectValue {
            for key in object["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where members[key] == nil {
                errors.append("\(path): missing required '\(key)'")
            }
            let properties = object["properties"]?.objectValue ?? JSONObject()
            for (key, member) in members.pairs {
                if let propertySchema = properties[key] {
                    check(member, against: propertySchema, path: "\(path).\(key)", errors: &errors)
                } else if let additional = object["additionalProperties"] {
                    if case .bool(false) = additional {
                        errors.append("\(path): unexpected property '\(key)' (not in the schema)")
                    } else {
                        check(member, against: additional, path: "\(path).\(key)", errors: &errors)
                    }
                }
            }
        }
        for sub in object["allOf"]?.arrayValue ?? [] { check(value, against: sub, path: path, errors: &errors) }
        if let options = object["anyOf"]?.arrayValue {
            let passing = options.filter { option in
                var scratch: [String] = []
                check(value, against: option, path: path, errors: &scratch)
                return scratch.isEmpty
            }
            if passing.isEmpty { errors.append("\(path): matches none of anyOf") }
        }
        if let options = object["oneOf"]?.arrayValue {
            let passing = options.filter { option in
                var scratch: [String] = []
                check(value, against: option, path: path, errors: &scratch)
                return scratch.isEmpty
            }
            if passing.count != 1 { errors.append("\(path): matches \(passing.count) of oneOf, expected 1") }
        }
        if let condition = object["if"] {
            var scratch: [String] = []
            check(value, against: condition, path: path, errors: &scratch)
            if scratch.isEmpty, let then = object["then"] {
                check(value, against: then, path: path, errors: &errors)
            } else if !scratch.isEmpty, let otherwise = object["else"] {
                check(value, against: otherwise, path: path, errors: &errors)
            }
        }
    }

    private func matches(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object): true
        case ("integer", .int): true
        case ("integer", .double(let d)): d.rounded() == d
        case ("number", .int), ("number", .double): true
        default: false
        }
    }

    private func equal(_ a: JSONValue, _ b: JSONValue) -> Bool {
        if let x = a.doubleValue, let y = b.doubleValue { return x == y }
        return a == b
    }
}
