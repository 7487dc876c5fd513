import Synchronization

/// The live, lock-free counters behind ``ServerMetrics``.
final class ServerMetricsRecorder: Sendable {
    let connectionsOpen = Atomic<Int>(0)
    let connectionsTotal = Atomic<Int>(0)
    let connectionsRefused = Atomic<Int>(0)
    let webSocketsOpen = Atomic<Int>(0)
    let webSocketsTotal = Atomic<Int>(0)
    let httpRequests = Atomic<Int>(0)
    let handshakesRejected = Atomic<Int>(0)
    let handshakeTimeouts = Atomic<Int>(0)
    /// Rare events, so a lock is fine.
    let framesRejected = Mutex<[UInt16: Int]>([:])
    let messagesIn = Atomic<Int>(0)
    let messagesOut = Atomic<Int>(0)
    let bytesIn = Atomic<Int>(0)
    let bytesOut = Atomic<Int>(0)
    let slowConsumerDisconnects = Atomic<Int>(0)
    let pingTimeouts = Atomic<Int>(0)
    let acceptErrors = Atomic<Int>(0)

    /// Counts a connection failed with `code`.
    func rejected(_ code: WSCloseCode) {
        framesRejected.withLock { $0[code.rawValue, default: 0] += 1 }
    }

    var snapshot: ServerMetrics {
        var metrics = ServerMetrics()
        metrics.connectionsOpen = connectionsOpen.load(ordering: .relaxed)
        metrics.connectionsTotal = connectionsTotal.load(ordering: .relaxed)
        metrics.connectionsRefused = connectionsRefused.load(ordering: .relaxed)
        metrics.webSocketsOpen = webSocketsOpen.load(ordering: .relaxed)
        metrics.webSocketsTotal = webSocketsTotal.load(ordering: .relaxed)
        metrics.httpRequests = httpRequests.load(ordering: .relaxed)
        metrics.handshakesRejected = handshakesRejected.load(ordering: .relaxed)
        metrics.handshakeTimeouts = handshakeTimeouts.load(ordering: .relaxed)
        metrics.framesRejected = framesRejected.withLock { $0 }
        metrics.messagesIn = messagesIn.load(ordering: .relaxed)
        metrics.messagesOut = messagesOut.load(ordering: .relaxed)
        metrics.bytesIn = bytesIn.load(ordering: .relaxed)
        metrics.bytesOut = bytesOut.load(ordering: .relaxed)
        metrics.slowConsumerDisconnects = slowConsumerDisconnects.load(ordering: .relaxed)
        metrics.pingTimeouts = pingTimeouts.load(ordering: .relaxed)
        metrics.acceptErrors = acceptErrors.load(ordering: .relaxed)
        return metrics
    }
}

extension Atomic where Value == Int {
    /// Adds `amount` with relaxed ordering (counters need no synchronisation).
    func add(_ amount: Int) { _ = wrappingAdd(amount, ordering: .relaxed) }
}
