import Memory

/// How a run ended: the `status` and `reason` of `run.completed`, and the exit code they map to.
///
/// | status          | reason                 | exit |
/// |-----------------|------------------------|------|
/// | `success`       | `completed`            | 0    |
/// | `failed`        | `task_failed`, `internal_error` | 1 |
/// | `failed`        | `usage_error`          | 2    |
/// | `failed`        | `configuration_error`  | 3    |
/// | `failed`        | `provider_error`       | 4    |
/// | `limit_reached` | `max_turns`, `max_cost`, `max_tokens`, `timeout` | 5 |
/// | `failed`        | `permission_denied`    | 6    |
/// | `cancelled`     | `sigint`               | 130  |
/// | `cancelled`     | `output_closed`        | 141  |
/// | `cancelled`     | `sigterm`              | 143  |
public struct RunOutcome: Sendable, Equatable {
    /// `success` | `failed` | `cancelled` | `limit_reached`.
    public var status: Status
    /// A machine-readable reason.
    public var reason: Reason
    /// One human sentence, when there is something to say.
    public var message: String?

    /// The `status` values of `run.completed`.
    public enum Status: String, Sendable { case success, failed, cancelled, limitReached = "limit_reached" }

    /// The `reason` values of `run.completed`.
    public enum Reason: String, Sendable, CaseIterable {
        case completed
        case taskFailed = "task_failed"
        case internalError = "internal_error"
        case usageError = "usage_error"
        case configurationError = "configuration_error"
        case providerError = "provider_error"
        case maxTurns = "max_turns", maxCost = "max_cost", maxTokens = "max_tokens", timeout
        case permissionDenied = "permission_denied"
        case sigint, sigterm
        case outputClosed = "output_closed"

        /// The status this reason belongs to.
        public var status: Status {
            switch self {
            case .completed: .success
            case .maxTurns, .maxCost, .maxTokens, .timeout: .limitReached
            case .sigint, .sigterm, .outputClosed: .cancelled
            default: .failed
            }
        }

        /// The process exit code (DESIGN.md's table).
        public var exitCode: Int32 {
            switch self {
            case .completed: 0
            case .taskFailed, .internalError: 1
            case .usageError: 2
            case .configurationError: 3
            case .providerError: 4
            case .maxTurns, .maxCost, .maxTokens, .timeout: 5
            case .permissionDenied: 6
            case .sigint: 130
            case .outputClosed: 141
            case .sigterm: 143
            }
        }
    }

    /// An outcome for `reason`; the status follows from it.
    public init(_ reason: Reason, message: String? = nil) {
        self.status = reason.status
        self.reason = reason
        self.message = message
    }

    /// Success.
    public static let success = RunOutcome(.completed)

    /// The process exit code.
    public var exitCode: Int32 { reason.exitCode }
}

/// An error that ends a run with a specific outcome and an `error` event code.
public struct RunError: Error, Sendable, CustomStringConvertible {
    /// The `error` event's `code` (e.g. `task_not_found`).
    public var code: String
    /// What was wrong, where, and what to do.
    public var message: String
    /// The outcome the run ends with.
    public var reason: RunOutcome.Reason

    /// Creates a run error.
    public init(code: String, message: String, reason: RunOutcome.Reason) {
        self.code = code
        self.message = message
        self.reason = reason
    }

    public var description: String { message }
}
