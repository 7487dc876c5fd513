extension RetryingProvider {
    /// Retries `base` and reports each retry as a non-fatal `error` event with `will_retry: true`, so a retry
    /// never looks fatal to a consumer of the stream.
    public static func reporting(_ base: any LLMProvider, to emitter: EventEmitter) -> RetryingProvider {
        RetryingProvider(base) { error, attempt, delay in
            emitter.emit(
                .error,
                EventPayloads.error(
                    code: error.code, message: "\(error.description); retrying in \(Int(delay * 1000)) ms", fatal: false,
                    retryable: true, willRetry: true, attempt: attempt, httpStatus: error.httpStatus))
        }
    }
}
