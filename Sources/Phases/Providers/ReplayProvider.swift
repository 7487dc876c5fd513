import Memory
import Synchronization

#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Musl)
    @preconcurrency import Musl
#endif

/// A replay file that cannot be used, or a request it cannot answer (configuration-class: exit 3).
public struct ReplayError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What is wrong, naming the file and the turn.
    public var message: String

    /// Creates an error.
    public init(message: String) { self.message = message }

    public var description: String { message }
}

/// Answers request N with recorded exchange N of a ``RecordFormat`` file, with no network: the recorded
/// stream events go to `onEvent`, then the recorded response is returned (or the recorded error thrown).
///
/// Each request must match its recording materially: the same messages (roles, texts, tool calls and whether
/// each tool result was an error), and the same model when both name one (a run under `--replay` may leave the
/// model empty). Tool result *contents* are not compared: they carry timings, record ids and absolute paths
/// that differ from run to run without changing what the model was asked. Otherwise, or past the last turn,
/// it throws a ``ReplayError`` naming the turn.
public final class ReplayProvider: LLMProvider {
    /// The file.
    public let path: String
    /// The recorded exchanges.
    public let exchanges: [RecordFormat.Exchange]
    private let next = Mutex(0)

    public var name: String { "replay" }

    /// The model of the first recorded request (for `run.started`).
    public var model: String? { exchanges.first?.request.model }

    /// Loads `path`.
    /// - Throws: ``ReplayError`` when it cannot be read or a line is not an exchange (naming the line).
    public init(path: String) throws(ReplayError) {
        self.path = path
        let bytes: [UInt8]
        do {
            guard let read = try FileSystem.readFile(path) else {
                throw ReplayError(message: "replay file \(path) does not exist; pass a file written by --record")
            }
            bytes = read
        } catch let error as ReplayError {
            throw error
        } catch {
            throw ReplayError(message: "cannot read replay file \(path): \(error)")
        }
        var exchanges: [RecordFormat.Exchange] = []
        for (number, line) in bytes.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated()
        where !line.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) {
            guard let json = try? JSONValue.parse(bytes: line), let exchange = RecordFormat.Exchange(json: json) else {
                throw ReplayError(message: "replay file \(path) line \(number + 1) is not a recorded exchange")
            }
            exchanges.append(exchange)
        }
        self.exchanges = exchanges
    }

    /// Replays from already loaded exchanges (tests).
    public init(exchanges: [RecordFormat.Exchange], path: String = "replay") {
        self.path = path
        self.exchanges = exchanges
    }

    public func complete(_ request: ModelRequest, onEvent: @escaping @Sendable (ModelStreamEvent) -> Void)
        async throws -> ModelResponse
    {
        let turn = next.withLock { value in
            value += 1
            return value
        }
        guard turn <= exchanges.count else {
            throw ReplayError(message: "replay file \(path) has no turn \(turn) (it holds \(exchanges.count))")
        }
        let recorded = exchanges[turn - 1]
        if let difference = Self.difference(recorded: recorded.request, actual: request) {
            throw ReplayError(message: "turn \(turn) differs from the recording in \(path): \(difference)")
        }
        try Task.checkCancellation()
        for event in recorded.events { onEvent(event) }
        return try recorded.outcome.get()
    }

    /// A description of the first material difference, or nil.
    static func difference(recorded: ModelRequest, actual: ModelRequest) -> String? {
        if !recorded.model.isEmpty, !actual.model.isEmpty, recorded.model != actual.model {
            return "model '\(actual.model)' but the recording used '\(recorded.model)'"
        }
        for (index, (old, new)) in zip(recorded.messages, actual.messages).enumerated()
        where material(old) != material(new) {
            let oldText = old.jsonValue.serialized()
            let newText = new.jsonValue.serialized()
            return "message \(index + 1) (\(new.role.rawValue)) is \(excerpt(newText, against: oldText)) "
                + "but the recording has \(excerpt(oldText, against: newText))"
        }
        if recorded.messages.count != actual.messages.count {
            return "the request has \(actual.messages.count) messages, the recording \(recorded.messages.count)"
        }
        return nil
    }

    /// `message` without tool result contents (see the type's discussion).
    static func material(_ message: ModelMessage) -> ModelMessage {
        var message = message
        message.content = message.content.map { block in
            if case .toolResult(let id, _, let isError) = block { return .toolResult(toolUseID: id, content: "", isError: isError) }
            return block
        }
        return message
    }

    /// Up to 60 characters of `text` around the first place it differs from `other`.
    static func excerpt(_ text: String, against other: String) -> String {
        let a = Array(text)
        let b = Array(other)
        var first = 0
        while first < a.count, first < b.count, a[first] == b[first] { first += 1 }
        let start = max(0, first - 20)
        let end = min(a.count, start + 60)
        return (start > 0 ? "…" : "") + String(a[start..<end]) + (end < a.count ? "…" : "")
    }
}
