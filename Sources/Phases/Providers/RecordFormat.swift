import Memory

/// The record/replay file: JSON Lines, one model exchange per line, in order, written by
/// ``RecordingProvider`` and read by ``ReplayProvider``.
///
/// ```
/// {"v":1,"turn":1,"provider":"anthropic",
///  "request":{"model":"claude-sonnet-4-5","system":"…","messages":[{"role":"user","content":[{"type":"text","text":"…"}]}],
///             "tools":[{"name":"read_file","description":"…","input_schema":{…}}],"max_tokens":4096},
///  "events":[{"type":"text_delta","index":0,"text":"Hel"},{"type":"tool_call_started","index":1,"id":"toolu_1","name":"read_file"},
///            {"type":"tool_call_delta","index":1,"json":"{\"path\":"},{"type":"keep_alive"}],
///  "response":{"content":[{"type":"text","text":"Hello"},{"type":"tool_use","id":"toolu_1","name":"read_file","input":{…}}],
///              "stop_reason":"tool_use","usage":{"input_tokens":10,"output_tokens":5,"cache_read_tokens":0,"cache_write_tokens":0},
///              "model":"claude-sonnet-4-5-20250929"}}
/// {"v":1,"turn":2,"provider":"anthropic","request":{…},"events":[…],
///  "error":{"kind":"http_status","message":"…","http_status":529,"retry_after":null,"provider":"anthropic"}}
/// ```
/// - `v`: format version (1). `turn`: 1-based. An exchange holds `response` or, when the call failed with
///   a ``ProviderError``, `error` (replayed as the same error). Content blocks use the neutral (Messages API
///   style) shapes of `ModelTypes+JSON.swift`, whatever the provider.
/// - Nothing secret is written: no key, no headers, no base URL; only the neutral request.
/// - `keep_alive` events are kept (they drive heartbeats), but replay sends them without delay.
public enum RecordFormat {
    /// The format version written.
    public static let version = 1

    /// One exchange.
    public struct Exchange: Sendable, Equatable {
        public var turn: Int
        public var provider: String
        public var request: ModelRequest
        public var events: [ModelStreamEvent]
        public var outcome: Result<ModelResponse, ProviderError>

        /// Creates an exchange.
        public init(
            turn: Int, provider: String, request: ModelRequest, events: [ModelStreamEvent],
            outcome: Result<ModelResponse, ProviderError>
        ) {
            self.turn = turn
            self.provider = provider
            self.request = request
            self.events = events
            self.outcome = outcome
        }

        /// The JSON line (without the newline).
        public var jsonValue: JSONValue {
            var object: JSONObject = [
                "v": .from(RecordFormat.version), "turn": .from(turn), "provider": .string(provider),
                "request": request.jsonValue, "events": .array(events.map(\.jsonValue)),
            ]
            switch outcome {
            case .success(let response): object["response"] = response.jsonValue
            case .failure(let error): object["error"] = error.jsonValue
            }
            return .object(object)
        }

        /// Reads one line; nil when it is not a valid exchange.
        public init?(json: JSONValue) {
            guard let turn = json["turn"]?.intValue, let request = json["request"].flatMap(ModelRequest.init(json:))
            else { return nil }
            let outcome: Result<ModelResponse, ProviderError>
            if let response = json["response"].flatMap(ModelResponse.init(json:)) {
                outcome = .success(response)
            } else if let error = json["error"].flatMap(ProviderError.init(json:)) {
                outcome = .failure(error)
            } else {
                return nil
            }
            self.init(
                turn: turn, provider: json["provider"]?.stringValue ?? "", request: request,
                events: (json["events"]?.arrayValue ?? []).compactMap(ModelStreamEvent.init(json:)), outcome: outcome)
        }
    }
}
