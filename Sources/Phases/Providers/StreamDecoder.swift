import Foundation
import Memory

/// A provider's pure SSE decoder: events in, stream events out, and the final response at the end.
protocol StreamDecoder: Sendable {
    /// Consumes one SSE event.
    /// - Returns: the stream events it produced (possibly none).
    /// - Throws: ``ProviderError`` for an `error` event or malformed data.
    mutating func consume(_ event: SSEEvent) throws(ProviderError) -> [ModelStreamEvent]
    /// Ends the stream.
    /// - Throws: ``ProviderError/Kind/truncatedStream`` when the terminator never came.
    func finish() throws(ProviderError) -> ModelResponse
}

/// Partially accumulated tool call arguments, shared by both decoders.
struct ToolCallAccumulator: Sendable {
    var id: String
    var name: String
    var json = ""

    /// The parsed arguments: `{}` when empty; the raw text as a JSON string when it is not valid JSON, so
    /// the tool layer can tell the model its arguments were malformed instead of failing the turn.
    var input: JSONValue {
        let trimmed = json.trimmingWhitespace()
        if trimmed.isEmpty { return [:] }
        return (try? JSONValue.parse(trimmed)) ?? .string(json)
    }
}

/// Sends a request through `client` and runs the body through `decoder`.
func performStreaming<Decoder: StreamDecoder>(
    _ request: HTTPStreamingRequest, client: HTTPStreamingClient, decoder: Decoder, provider: String,
    keyVariable: String?, secrets: [String?], onEvent: @escaping @Sendable (ModelStreamEvent) -> Void
) async throws -> ModelResponse {
    var decoder = decoder
    let response = try await client.send(request, provider: provider)
    guard (200..<300).contains(response.status) else {
        var body: [UInt8] = []
        do {
            for try await chunk in response.body {
                body.append(contentsOf: chunk)
                if body.count > 65536 { break }
            }
        } catch let error as ProviderError where error.kind != .cancelled {
            // The head is what matters; a body cut short still yields a useful error.
        }
        try Task.checkCancellation()
        throw ProviderError.fromHTTP(
            status: response.status, headers: response.headers, body: body, provider: provider,
            keyVariable: keyVariable, secrets: secrets, now: Double(Date.now.timeIntervalSince1970))
    }
    var parser = SSEParser()
    do {
        for try await chunk in response.body {
            var produced = false
            for event in parser.feed(chunk) {
                for output in try decoder.consume(event) {
                    produced = true
                    onEvent(output)
                }
            }
            if !produced { onEvent(.keepAlive) }
        }
        try Task.checkCancellation()
        for event in parser.finish() {
            for output in try decoder.consume(event) { onEvent(output) }
        }
        return try decoder.finish()
    } catch var error as ProviderError {
        error.message = ProviderError.redacting(error.message, secrets: secrets)
        throw error
    }
}
