import Synchronization

/// Counters of the protocol layer, rendered with the transport's into Prometheus text at /metrics.
final class AppMetrics: Sendable {
    private struct Counters {
        var connectionsOpen = 0
        var connectionsTotal = 0
        var refused: [String: Int] = [:]
        var protocolErrors: [String: Int] = [:]
    }

    private let counters = Mutex(Counters())
    /// Bumped once per subscriber of every event, from the fan-out's two threads at once: an atomic, not the mutex.
    private let eventsSentCount = Atomic<Int>(0)

    func connectionOpened() { counters.withLock { $0.connectionsOpen += 1; $0.connectionsTotal += 1 } }
    func connectionClosed() { counters.withLock { $0.connectionsOpen -= 1 } }
    func eventsSent(_ count: Int) { eventsSentCount.add(count, ordering: .relaxed) }
    /// A connection refused before the upgrade (bad token, origin, host), by reason.
    func refused(_ reason: String) { counters.withLock { $0.refused[reason, default: 0] += 1 } }
    /// A client message answered with an `error` frame, by code.
    func protocolError(_ code: String) { counters.withLock { $0.protocolErrors[code, default: 0] += 1 } }

    /// Prometheus text exposition lines for these counters.
    func render(runs: RunRegistry.Counts, sessions: Int) -> String {
        let eventsSent = eventsSentCount.load(ordering: .relaxed)
        return counters.withLock { c in
            var out = ""
            func metric(_ name: String, _ type: String, _ help: String, _ samples: [(String, Int)]) {
                out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
                for (labels, value) in samples { out += "\(name)\(labels) \(value)\n" }
            }
            metric("raaid_connections_open", "gauge", "WebSocket connections open now.", [("", c.connectionsOpen)])
            metric("raaid_connections_total", "counter", "WebSocket connections accepted.", [("", c.connectionsTotal)])
            metric("raaid_sessions", "gauge", "Client sessions known to this server.", [("", sessions)])
            var runSamples = [("{status=\"queued\"}", runs.queued), ("{status=\"running\"}", runs.running)]
            for status in ["success", "failed", "cancelled", "limit_reached"] {
                runSamples.append(("{status=\"\(status)\"}", runs.finishedByStatus[status] ?? 0))
            }
            metric("raaid_runs", "gauge", "Runs by status since start.", runSamples)
            metric("raaid_events_sent_total", "counter", "Event frames sent to clients.", [("", eventsSent)])
            metric(
                "raaid_connections_refused_total", "counter", "Upgrades refused, by reason.",
                c.refused.keys.sorted().map { ("{reason=\"\($0)\"}", c.refused[$0] ?? 0) })
            metric(
                "raaid_client_errors_total", "counter", "Client messages answered with an error, by code.",
                c.protocolErrors.keys.sorted().map { ("{code=\"\($0)\"}", c.protocolErrors[$0] ?? 0) })
            return out
        }
    }
}
