import Memory

/// One task of a plan, as stored in memory (`kind` `task`) and shown in `item.completed` of kind `plan`.
struct PlannedTask: Sendable, Equatable {
    /// 1-based position in the plan.
    var index: Int
    var title: String
    var why: String
    var steps: [String]
    var files: [String]
    var verify: String
    /// `pending`, `done` or `failed`.
    var status: String

    init(index: Int, json: JSONValue) {
        self.index = index
        title = json["title"]?.stringValue ?? "Task \(index)"
        why = json["why"]?.stringValue ?? ""
        steps = json["steps"]?.arrayValue?.compactMap(\.stringValue) ?? []
        files = json["files"]?.arrayValue?.compactMap(\.stringValue) ?? []
        verify = json["verify"]?.stringValue ?? ""
        status = json["status"]?.stringValue ?? "pending"
    }

    /// The record data.
    var data: JSONObject {
        [
            "index": .int(Int64(index)), "title": .string(title), "why": .string(why), "steps": .from(steps),
            "files": .from(files), "verify": .string(verify), "status": .string(status),
        ]
    }

    /// The task as the implementer reads it.
    var brief: String {
        var text = "Task \(index): \(title)\n"
        if !why.isEmpty { text += "\nWhy: \(why)\n" }
        if !steps.isEmpty { text += "\nSteps:\n" + steps.map { "- \($0)" }.joined(separator: "\n") + "\n" }
        if !files.isEmpty { text += "\nFiles: " + files.joined(separator: ", ") + "\n" }
        if !verify.isEmpty { text += "\nVerify: \(verify)\n" }
        return text
    }
}
