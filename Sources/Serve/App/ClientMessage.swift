import Memory

/// A message from a client, parsed and validated (docs/protocol.md, docs/protocol.schema.json).
enum ClientMessage: Sendable, Equatable {
    /// Start a run: the task text and options.
    case runStart(id: String?, task: String, options: RunStartOptions)
    /// Replay a run's events with `seq > sinceSeq`, then follow it live.
    case subscribe(id: String?, run: String, sinceSeq: Int)
    /// Stop following a run.
    case unsubscribe(id: String?, run: String)
    /// Cancel a run.
    case runCancel(id: String?, run: String)
    /// Answer a permission request a run raised.
    case permissionRespond(id: String?, run: String, request: String, allow: Bool)
    /// Answer a question a run asked.
    case answer(id: String?, run: String, question: String, text: String)
    /// Liveness check; answered with `ack`.
    case ping(id: String?)

    /// The client's request id, echoed in `ack` and `error`.
    var requestID: String? {
        switch self {
        case .runStart(let id, _, _), .subscribe(let id, _, _), .unsubscribe(let id, _), .runCancel(let id, _),
            .permissionRespond(let id, _, _, _), .answer(let id, _, _, _), .ping(let id):
            id
        }
    }

    /// The `type` string.
    var type: String {
        switch self {
        case .runStart: "run.start"
        case .subscribe: "subscribe"
        case .unsubscribe: "unsubscribe"
        case .runCancel: "run.cancel"
        case .permissionRespond: "permission.respond"
        case .answer: "answer"
        case .ping: "ping"
        }
    }

    static let types = ["run.start", "subscribe", "unsubscribe", "run.cancel", "permission.respond", "answer", "ping"]
}

/// Options of `run.start`.
struct RunStartOptions: Sendable, Equatable {
    var isResearchOnly = true
    var maxRelatedFiles = 10
    var maxSnippets = 5
    var cancelOnDisconnect = false
}

/// Why a client message was refused: a stable `code` and a message saying what to do.
struct ProtocolFailure: Error, Sendable, Equatable {
    var code: String
    var message: String
    var requestID: String?
    var type: String?

    init(_ code: String, _ message: String, requestID: String? = nil, type: String? = nil) {
        self.code = code
        self.message = message
        self.requestID = requestID
        self.type = type
    }
}

extension ClientMessage {
    /// Parses one text frame.
    /// - Throws: ``ProtocolFailure`` with code `invalid_json`, `invalid_message`, `unknown_type`,
    ///   `missing_field` or `invalid_field`.
    static func parse(_ text: String) throws(ProtocolFailure) -> ClientMessage {
        let value: JSONValue
        do {
            value = try JSONValue.parse(text)
        } catch {
            throw ProtocolFailure("invalid_json", "the message is not valid JSON (\(error)); send one JSON object per frame")
        }
        guard let object = value.objectValue else {
            throw ProtocolFailure("invalid_message", "a message must be a JSON object with a \"type\"")
        }
        let id = object["id"]?.stringValue ?? object["id"]?.intValue.map(String.init)
        guard let type = object["type"]?.stringValue else {
            throw ProtocolFailure("missing_field", "the message has no \"type\"; one of: \(types.joined(separator: ", "))", requestID: id)
        }
        let reader = FieldReader(object: object, requestID: id, type: type)
        switch type {
        case "run.start":
            let task = try reader.string("task")
            var options = RunStartOptions()
            if let raw = object["options"] {
                guard let values = raw.objectValue else { throw reader.invalid("options", "must be an object") }
                let optionReader = FieldReader(object: values, requestID: id, type: type, prefix: "options.")
                options.isResearchOnly = try optionReader.optionalBool("research_only") ?? true
                options.maxRelatedFiles = try optionReader.optionalInt("max_related", range: 1...100) ?? 10
                options.maxSnippets = try optionReader.optionalInt("max_snippets", range: 0...50) ?? 5
                options.cancelOnDisconnect = try optionReader.optionalBool("cancel_on_disconnect") ?? false
            }
            return .runStart(id: id, task: task, options: options)
        case "subscribe":
            return .subscribe(
                id: id, run: try reader.string("run"), sinceSeq: try reader.optionalInt("since_seq", range: 0...Int.max) ?? 0)
        case "unsubscribe":
            return .unsubscribe(id: id, run: try reader.string("run"))
        case "run.cancel":
            return .runCancel(id: id, run: try reader.string("run"))
        case "permission.respond":
            let decision = try reader.string("decision")
            guard decision == "allow" || decision == "deny" else { throw reader.invalid("decision", "must be \"allow\" or \"deny\"") }
            return .permissionRespond(id: id, run: try reader.string("run"), request: try reader.string("request"), allow: decision == "allow")
        case "answer":
            return .answer(id: id, run: try reader.string("run"), question: try reader.string("question"), text: try reader.string("text"))
        case "ping":
            return .ping(id: id)
        default:
            throw ProtocolFailure(
                "unknown_type", "unknown message type '\(type)'; one of: \(types.joined(separator: ", "))", requestID: id, type: type)
        }
    }
}

/// Typed access to message fields with errors that name the field.
private struct FieldReader {
    let object: JSONObject
    let requestID: String?
    let type: String
    var prefix = ""

    func invalid(_ field: String, _ what: String) -> ProtocolFailure {
        ProtocolFailure("invalid_field", "\(type): \"\(prefix)\(field)\" \(what)", requestID: requestID, type: type)
    }

    func string(_ field: String) throws(ProtocolFailure) -> String {
        guard let value = object[field] else {
            throw ProtocolFailure("missing_field", "\(type) needs \"\(prefix)\(field)\"", requestID: requestID, type: type)
        }
        guard let string = value.stringValue else { throw invalid(field, "must be a string") }
        return string
    }

    func optionalBool(_ field: String) throws(ProtocolFailure) -> Bool? {
        guard let value = object[field], value != .null else { return nil }
        guard let bool = value.boolValue else { throw invalid(field, "must be true or false") }
        return bool
    }

    func optionalInt(_ field: String, range: ClosedRange<Int>) throws(ProtocolFailure) -> Int? {
        guard let value = object[field], value != .null else { return nil }
        guard let number = value.intValue, range.contains(number) else {
            let upper = range.upperBound == Int.max ? "" : " to \(range.upperBound)"
            throw invalid(field, "must be an integer from \(range.lowerBound)\(upper)")
        }
        return number
    }
}
