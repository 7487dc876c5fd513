import Memory

/// A question the model asks a person through `ask_human`.
public struct HumanQuestion: Sendable, Equatable {
    /// A stable id the model chose (e.g. `db-choice`), used to look answers up; may be `nil`.
    public var id: String?
    /// The question text.
    public var text: String
    /// Suggested answers, if any.
    public var options: [String]

    /// Creates a question.
    public init(id: String?, text: String, options: [String] = []) {
        self.id = id
        self.text = text
        self.options = options
    }
}

/// What came back for a ``HumanQuestion``.
public enum HumanReply: Sendable, Equatable {
    /// Answered; `source` says by what (`answers_file`, `client`, …).
    case answered(String, source: String)
    /// No answer; `reason` tells the model why and what to do instead.
    case declined(reason: String)
}

/// Where `ask_human` questions go: an answers file in `raaid run`, a connected client under `serve`.
public protocol HumanChannel: Sendable {
    /// Asks `question` and waits for a reply.
    /// - Throws: `CancellationError` when the run is cancelled while waiting.
    func ask(_ question: HumanQuestion) async throws -> HumanReply
}

/// Declines every question: `raaid run` without `--answers`.
public struct DecliningHumanChannel: HumanChannel {
    /// The reason given to the model.
    public var reason: String

    /// Creates a channel that declines with `reason`.
    public init(
        reason: String = """
        No human is available in this run (raaid run without --answers). Decide yourself: choose the most \
        reasonable option, state the assumption in your final message, and continue.
        """
    ) {
        self.reason = reason
    }

    public func ask(_ question: HumanQuestion) async throws -> HumanReply { .declined(reason: reason) }
}

/// Answers questions from a JSON object given with `raaid run --answers FILE`.
///
/// The file is one JSON object. Each key is a question id or the exact text of a question; each value is the
/// answer (a string; numbers and booleans are used as their JSON text):
/// ```json
/// {
///   "db-choice": "Use SQLite",
///   "Should I keep the old API for compatibility?": "yes, mark it deprecated"
/// }
/// ```
/// Lookup order: the question's id, then its exact text, then its text with case and runs of white space
/// ignored. A question with no entry is declined with a reason that names the id to add.
public struct AnswersFileChannel: HumanChannel {
    /// The answers by key.
    public let answers: [String: String]

    /// Creates a channel from answers by key.
    public init(answers: [String: String]) {
        self.answers = answers
    }

    /// Parses the answers file's content.
    /// - Throws: ``ToolError`` `invalid_answers` when it is not a JSON object of strings, numbers or booleans.
    public init(json text: String) throws(ToolError) {
        let value: JSONValue
        do {
            value = try JSONValue.parse(text)
        } catch {
            throw ToolError(code: "invalid_answers", message: "answers file is not valid JSON: \(error)")
        }
        guard case .object(let object) = value else {
            throw ToolError(
                code: "invalid_answers", message: "answers file must be a JSON object (id or question → answer)")
        }
        var answers: [String: String] = [:]
        for (key, entry) in object.pairs {
            switch entry {
            case .string(let text): answers[key] = text
            case .int, .double, .bool: answers[key] = entry.serialized()
            default:
                throw ToolError(
                    code: "invalid_answers", message: "answers file: the answer for \"\(key)\" must be a string")
            }
        }
        self.answers = answers
    }

    /// Reads and parses an answers file.
    /// - Throws: ``ToolError`` when it cannot be read or parsed.
    public init(path: String) throws(ToolError) {
        let bytes = try FileIO.readFile(path, display: path, tool: "answers file", limit: 4 << 20)
        try self.init(json: String(decoding: bytes, as: UTF8.self))
    }

    public func ask(_ question: HumanQuestion) async throws -> HumanReply {
        if let answer = answer(for: question) { return .answered(answer, source: "answers_file") }
        let key = question.id.map { "\"\($0)\"" } ?? "the exact question text"
        return .declined(
            reason: """
                The answers file has no answer for this question (add one under \(key)). Decide yourself: \
                choose the most reasonable option, state the assumption in your final message, and continue.
                """)
    }

    /// The answer for `question`, by id, exact text, then normalized text.
    public func answer(for question: HumanQuestion) -> String? {
        if let id = question.id, let answer = answers[id] { return answer }
        if let answer = answers[question.text] { return answer }
        let wanted = Self.normalize(question.text)
        return answers.first { Self.normalize($0.key) == wanted }?.value
    }

    private static func normalize(_ text: String) -> String {
        text.lowercased().split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }
}
