import Memory
import Synchronization

#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Musl)
    @preconcurrency import Musl
#endif

/// Wraps a provider and appends every exchange to a JSON Lines file (``RecordFormat``), fsynced after
/// each line, for `--record FILE`. The file is created fresh (truncated) when the recorder is made: one
/// file holds one run. Cancelled calls are not recorded; calls that fail with a ``ProviderError`` are.
///
/// Wrap the retrying provider (`RecordingProvider(RetryingProvider(inner))`) to record what the run saw
/// after retries; replay then needs no retrying.
public final class RecordingProvider: LLMProvider {
    /// The wrapped provider.
    public let base: any LLMProvider
    /// The record file.
    public let path: String
    private let turn = Mutex(0)

    public var name: String { base.name }

    /// Creates a recorder, creating or truncating `path` (mode 0600).
    /// - Throws: ``ReplayError`` when the file cannot be created.
    public init(_ base: any LLMProvider, path: String) throws {
        self.base = base
        self.path = path
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw ReplayError(message: "cannot create record file \(path): \(Self.errnoText())") }
        close(fd)
    }

    public func complete(_ request: ModelRequest, onEvent: @escaping @Sendable (ModelStreamEvent) -> Void)
        async throws -> ModelResponse
    {
        let events = EventCollector()
        let outcome: Result<ModelResponse, ProviderError>
        do {
            let response = try await base.complete(request) { event in
                events.append(event)
                onEvent(event)
            }
            outcome = .success(response)
        } catch let error as ProviderError {
            outcome = .failure(error)
        }
        let number = turn.withLock { value in
            value += 1
            return value
        }
        let exchange = RecordFormat.Exchange(
            turn: number, provider: base.name, request: request, events: events.events, outcome: outcome)
        try append(exchange.jsonValue.serializedBytes() + [0x0A])
        return try outcome.get()
    }

    private func append(_ bytes: [UInt8]) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw ReplayError(message: "cannot open record file \(path): \(Self.errnoText())") }
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw ReplayError(message: "cannot write record file \(path): \(Self.errnoText())")
            }
            offset += written
        }
        guard fsync(fd) == 0 else { throw ReplayError(message: "cannot sync record file \(path): \(Self.errnoText())") }
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }
}

/// Collects the stream events of one call (shared with the escaping `onEvent` closure).
private final class EventCollector: Sendable {
    private let storage = Mutex<[ModelStreamEvent]>([])

    func append(_ event: ModelStreamEvent) { storage.withLock { $0.append(event) } }
    var events: [ModelStreamEvent] { storage.withLock { $0 } }
}
