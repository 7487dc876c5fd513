import Memory
import Phases
import Synchronization
import Testing

@testable import Serve

@Suite(.timeLimit(.minutes(1)))
struct FanOutWorkerTests {
    /// Counts what it is sent and which threads sent it.
    final class CountingConnection: ClientConnection {
        let connectionID: Int
        private let texts = Mutex<[String]>([])
        init(_ id: Int) { connectionID = id }
        func send(text: String) -> Bool {
            texts.withLock { $0.append(text) }
            return true
        }
        func close(code: UInt16, reason: String) {}
        var received: [String] { texts.withLock { $0 } }
    }

    @Test func everyTarget_getsEveryBroadcast_once_inOrder() async {
        let worker = FanOutWorker()
        let targets = (0..<1_000).map { CountingConnection($0) }
        for round in 0..<50 { await worker.send(PreparedText("line \(round)"), to: targets) }
        // send(...) returned, so every target was written: nothing may arrive later.
        for target in targets {
            #expect(target.received == (0..<50).map { "line \($0)" })
        }
    }

    @Test func concurrentBroadcasts_bothComplete_whileTheWorkerIsBusy() async {
        let worker = FanOutWorker()
        let first = (0..<600).map { CountingConnection($0) }
        let second = (0..<600).map { CountingConnection($0 + 600) }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { for round in 0..<20 { await worker.send(PreparedText("a\(round)"), to: first) } }
            group.addTask { for round in 0..<20 { await worker.send(PreparedText("b\(round)"), to: second) } }
        }
        for target in first { #expect(target.received == (0..<20).map { "a\($0)" }) }
        for target in second { #expect(target.received == (0..<20).map { "b\($0)" }) }
    }

    @Test func broadcast_claimsEveryTargetExactlyOnce_acrossTheTwoSenders() {
        let targets = (0..<(FanOutWorker.chunk * 7 + 3)).map { CountingConnection($0) }
        let broadcast = FanOutWorker.Broadcast(PreparedText("x"), to: targets)
        let counts = Mutex<[Int]>([])
        DedicatedThreads.perform(iterations: 3) { _ in
            let sent = broadcast.drain()
            counts.withLock { $0.append(sent) }
        }
        #expect(counts.withLock { $0.reduce(0, +) } == targets.count)
        #expect(targets.allSatisfy { $0.received == ["x"] })
        #expect(broadcast.drain() == 0, "nothing is left to claim")
    }
}
