import Memory
import Synchronization
import Testing

@testable import Serve

@Suite(.timeLimit(.minutes(1)))
struct RunBroadcasterTests {
    private static func line(_ seq: Int, _ type: String = "progress") -> [UInt8] {
        Array(#"{"v":1,"seq":\#(seq),"type":"\#(type)"}"#.utf8) + [0x0A]
    }

    /// Waits until every connection holds `count` frames.
    private static func waitForAll(_ connections: [FakeConnection], count: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while connections.contains(where: { $0.sent.count < count }) && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    @Test(arguments: [3, RunBroadcaster.parallelThreshold + 44])
    func everySubscriber_getsEveryLine_inOrder_exactlyOnce(subscribers: Int) async throws {
        let broadcaster = RunBroadcaster()
        let connections = (0..<subscribers).map { _ in FakeConnection() }
        for connection in connections { broadcaster.subscribe(connection, sinceSeq: 0) }
        for seq in 1...60 { try broadcaster.write(line: Self.line(seq)) }
        try broadcaster.write(line: Self.line(61, "run.completed"))
        try await Self.waitForAll(connections, count: 61)
        for connection in connections {
            #expect(connection.sent.compactMap { $0["seq"]?.intValue } == Array(1...61))
        }
        #expect(broadcaster.isFinished)
        #expect(broadcaster.lineCount == 61)
    }

    @Test func twoLargeRunsAtOnce_shareTheFanOutThread_andKeepTheirOrder() async throws {
        let runs = (0..<2).map { _ in RunBroadcaster() }
        let subscribers = (0..<2).map { _ in (0..<(RunBroadcaster.parallelThreshold + 10)).map { _ in FakeConnection() } }
        for (run, connections) in zip(runs, subscribers) {
            for connection in connections { run.subscribe(connection, sinceSeq: 0) }
        }
        await withTaskGroup(of: Void.self) { group in
            for run in runs {
                group.addTask {
                    for seq in 1...40 {
                        try? run.write(line: Self.line(seq))
                        await Task.yield()
                    }
                }
            }
        }
        for connections in subscribers {
            try await Self.waitForAll(connections, count: 40)
            for connection in connections {
                #expect(connection.sent.compactMap { $0["seq"]?.intValue } == Array(1...40))
            }
        }
    }

    @Test func lateSubscriber_getsTheReplay_thenLiveLines_withNoGapOrDuplicate() async throws {
        let broadcaster = RunBroadcaster()
        let early = FakeConnection()
        broadcaster.subscribe(early, sinceSeq: 0)
        for seq in 1...10 { try broadcaster.write(line: Self.line(seq)) }
        let late = FakeConnection()
        #expect(broadcaster.subscribe(late, sinceSeq: 4) == 6)
        for seq in 11...20 { try broadcaster.write(line: Self.line(seq)) }
        try await Self.waitForAll([early], count: 20)
        try await Self.waitForAll([late], count: 16)
        #expect(early.sent.compactMap { $0["seq"]?.intValue } == Array(1...20))
        #expect(late.sent.compactMap { $0["seq"]?.intValue } == Array(5...20))
        broadcaster.unsubscribe(late.connectionID)
        try broadcaster.write(line: Self.line(21))
        try await Self.waitForAll([early], count: 21)
        #expect(late.sent.count == 16)
        #expect(broadcaster.subscriberCount == 1)
    }

    @Test func subscribersJoiningWhileLinesArePublished_eachGetEveryLineAfterTheirSeq_inOrder() async throws {
        let broadcaster = RunBroadcaster()
        let total = 1_500
        let joiners = (0..<40).map { _ in FakeConnection() }
        final class Joined: Sendable { let sinces = Mutex<[Int: Int]>([:]) }  // connection id → since_seq
        let joined = Joined()
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for seq in 1...total {
                    try? broadcaster.write(line: Self.line(seq, seq == total ? "run.completed" : "progress"))
                    if seq % 100 == 0 { await Task.yield() }
                }
            }
            for (index, connection) in joiners.enumerated() {
                group.addTask {
                    try? await Task.sleep(for: .microseconds(200 * index))
                    // Ask from a point in the past, now or (clamped) the future.
                    let since = max(0, broadcaster.lineCount - (index % 3) * 300)
                    joined.sinces.withLock { $0[connection.connectionID] = since }
                    broadcaster.subscribe(connection, sinceSeq: since)
                }
            }
        }
        let sinces = joined.sinces.withLock { $0 }
        for connection in joiners {
            let since = try #require(sinces[connection.connectionID])
            let expected = since < total ? Array((since + 1)...total) : []
            try await Self.waitForAll([connection], count: expected.count)
            #expect(connection.sent.compactMap { $0["seq"]?.intValue } == expected, "since_seq \(since)")
        }
    }
}

@Suite struct AppMetricsTests {
    @Test func eventsSent_areCounted_fromManyThreadsAtOnce() async {
        let metrics = AppMetrics()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask { for _ in 0..<1000 { metrics.eventsSent(1) } }
            }
        }
        let text = metrics.render(runs: RunRegistry.Counts(queued: 0, running: 0, finishedByStatus: [:]), sessions: 0)
        #expect(text.contains("\nraaid_events_sent_total 8000\n"))
    }
}
