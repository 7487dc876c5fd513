import Memory

/// Small builders for the JSON Schemas of tool inputs.
enum JSONSchema {
    /// An object schema with ordered properties; unknown properties are refused.
    static func object(_ properties: [(String, JSONValue)], required: [String] = []) -> JSONValue {
        .object([
            "type": "object", "properties": .object(JSONObject(properties)), "required": .from(required),
            "additionalProperties": false,
        ])
    }

    static func string(_ description: String) -> JSONValue {
        ["type": "string", "description": .string(description)]
    }

    static func integer(_ description: String, minimum: Int? = nil, maximum: Int? = nil) -> JSONValue {
        var object: JSONObject = ["type": "integer", "description": .string(description)]
        if let minimum { object["minimum"] = .int(Int64(minimum)) }
        if let maximum { object["maximum"] = .int(Int64(maximum)) }
        return .object(object)
    }

    static func number(_ description: String, minimum: Double? = nil) -> JSONValue {
        var object: JSONObject = ["type": "number", "description": .string(description)]
        if let minimum { object["minimum"] = .double(minimum) }
        return .object(object)
    }

    static func boolean(_ description: String) -> JSONValue {
        ["type": "boolean", "description": .string(description)]
    }

    static func strings(_ description: String) -> JSONValue {
        ["type": "array", "items": ["type": "string"], "description": .string(description)]
    }

    static func oneOf(_ values: [String], _ description: String) -> JSONValue {
        ["type": "string", "enum": .from(values), "description": .string(description)]
    }
}
