import Memory
import Phases

/// The operator's log on stderr: one line per event, as text or JSON (`--log-format json`), filtered by
/// `--log-level`. Never given a token or key: callers pass only ids, paths, codes and reasons.
public struct ServerLog: Sendable {
    /// Severity, lowest first.
    public enum Level: String, Sendable, CaseIterable, Comparable {
        case debug, info, warning, error
        public static func < (a: Level, b: Level) -> Bool {
            allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
        }
    }

    /// Line format.
    public enum Format: String, Sendable, CaseIterable { case text, json }

    let level: Level
    let format: Format
    let write: @Sendable (String) -> Void

    /// A log writing to stderr (or `write`, for tests).
    public init(level: Level = .info, format: Format = .text, write: (@Sendable (String) -> Void)? = nil) {
        self.level = level
        self.format = format
        self.write = write ?? { line in try? FileDescriptorSink(descriptor: 2).write(line: Array(line.utf8)) }
    }

    public func debug(_ message: String, _ fields: [String: String] = [:]) { log(.debug, message, fields) }
    public func info(_ message: String, _ fields: [String: String] = [:]) { log(.info, message, fields) }
    public func warning(_ message: String, _ fields: [String: String] = [:]) { log(.warning, message, fields) }
    public func error(_ message: String, _ fields: [String: String] = [:]) { log(.error, message, fields) }

    /// Writes one line when `severity` is at or above the configured level.
    public func log(_ severity: Level, _ message: String, _ fields: [String: String] = [:]) {
        guard severity >= level else { return }
        let keys = fields.keys.sorted()
        switch format {
        case .json:
            var object: JSONObject = ["ts": .string(Timestamp.now()), "level": .string(severity.rawValue), "msg": .string(message)]
            for key in keys { object[key] = .string(fields[key] ?? "") }
            write(JSONValue.object(object).serialized() + "\n")
        case .text:
            let rendered = keys.map { key in
                let value = fields[key] ?? ""
                return value.contains(" ") || value.isEmpty ? "\(key)=\(JSONValue.string(value).serialized())" : "\(key)=\(value)"
            }
            write(([Timestamp.now(), severity.rawValue.uppercased(), message] + rendered).joined(separator: " ") + "\n")
        }
    }
}
