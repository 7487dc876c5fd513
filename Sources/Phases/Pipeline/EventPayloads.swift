import Memory

/// Builders for the payloads of the v1 event types, so every emitter writes the same fields.
public enum EventPayloads {
    /// `error`.
    public static func error(
        code: String, message: String, fatal: Bool, retryable: Bool = false, willRetry: Bool = false,
        attempt: Int? = nil, httpStatus: Int? = nil
    ) -> JSONObject {
        [
            "code": .string(code), "message": .string(message), "fatal": .bool(fatal), "retryable": .bool(retryable),
            "will_retry": .bool(willRetry), "attempt": .from(attempt), "http_status": .from(httpStatus),
        ]
    }

    /// `run.completed`.
    public static func runCompleted(
        _ outcome: RunOutcome, durationMs: Int, phases: JSONObject = [:], recordsWritten: Int = 0, promoted: Int = 0,
        totals: JSONObject? = nil, filesChanged: [String] = [], denials: Int = 0
    ) -> JSONObject {
        var payload: JSONObject = [
            "status": .string(outcome.status.rawValue),
            "reason": .string(outcome.reason.rawValue),
            "exit_code": .int(Int64(outcome.exitCode)),
        ]
        if let message = outcome.message { payload["message"] = .string(message) }
        payload["duration_ms"] = .int(Int64(durationMs))
        payload["totals"] = .object(
            totals ?? [
                "turns": 0, "input_tokens": 0, "output_tokens": 0, "cache_read_tokens": 0, "cache_write_tokens": 0,
                "cost_usd": 0, "cost_source": "no_model",
            ])
        payload["phases"] = .object(phases)
        payload["files_changed"] = .from(filesChanged)
        payload["denials"] = .int(Int64(denials))
        payload["memory"] = ["records_written": .int(Int64(recordsWritten)), "promoted": .int(Int64(promoted))]
        return payload
    }

    /// `progress`.
    public static func progress(stage: String, done: Int, total: Int?, unit: String) -> JSONObject {
        ["stage": .string(stage), "done": .int(Int64(done)), "total": .from(total), "unit": .string(unit)]
    }
}
