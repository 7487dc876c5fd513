import Foundation
import Memory
import Phases
import Synchronization

@testable import Serve

/// A ClientConnection that records what the app sends.
final class FakeConnection: ClientConnection {
    private static let counter = Mutex(0)
    let connectionID: Int
    private let frames = Mutex<[String]>([])
    private let closed = Mutex<(UInt16, String)?>(nil)

    init() { connectionID = Self.counter.withLock { $0 += 1; return $0 } }

    func send(text: String) -> Bool {
        frames.withLock { $0.append(text) }
        return true
    }

    func close(code: UInt16, reason: String) { closed.withLock { $0 = (code, reason) } }

    var sent: [JSONValue] { frames.withLock { $0 }.compactMap { try? JSONValue.parse($0) } }
    var closeCode: UInt16? { closed.withLock { $0?.0 } }

    /// Frames that are run events (they carry `run` and `seq`).
    func events(of run: String) -> [JSONValue] {
        sent.filter { $0["run"]?.stringValue == run && $0["seq"] != nil }
    }

    /// Waits until `run.completed` for `run` arrived (or 30 s passed).
    func waitForCompletion(of run: String) async throws {
        for _ in 0..<3000 {
            if events(of: run).contains(where: { $0["type"]?.stringValue == "run.completed" }) { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("run \(run) did not complete")
    }

    /// Waits until an event of `type` for `run` arrived (or 30 s passed); events are delivered by a task of their own.
    func waitForEvent(_ type: String, of run: String) async throws {
        for _ in 0..<3000 {
            if events(of: run).contains(where: { $0["type"]?.stringValue == type }) { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("no \(type) event for run \(run)")
    }

    /// The first reply of `type` (`ack` / `error`) with request id `id`.
    func reply(_ type: String, id: String) -> JSONValue? {
        sent.first { $0["type"]?.stringValue == type && $0["id"]?.stringValue == id }
    }
}

import Testing

/// A throwaway workspace and memory directory for app tests.
struct AppFixture {
    let root: URL
    let app: ServeApp
    let memory: MemoryStore

    /// Runs that hold until cancelled, so queueing and cancellation are deterministic.
    static let holdUntilCancelled: RunRegistry.Executor = { entry, _ in
        entry.emitter.emit(.runStarted, ["note": "test executor"])
        while !entry.cancellation.isCancelled { try? await Task.sleep(for: .milliseconds(5)) }
        let outcome = RunOutcome(entry.cancellation.reason ?? .completed)
        entry.emitter.complete(EventPayloads.runCompleted(outcome, durationMs: 0))
        return outcome
    }

    init(maxConcurrentRuns: Int = 2, rate: Double = 1000, executor: RunRegistry.Executor? = nil) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("raaid-serve-\(UUID().uuidString)")
        let files = [
            "Sources/Parser/FrameParser.swift": "/// Parses frames.\nstruct FrameParser { func parse() {} }\n",
            "Sources/Parser/Handshake.swift": "/// Validates the opening handshake.\nenum Handshake { static func validate() {} }\n",
            "README.md": "# Demo\n",
        ]
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        let memoryDirectory = root.appendingPathComponent(".raaid").path
        memory = try MemoryStore(directory: memoryDirectory)
        var configuration = ServeConfiguration(
            token: "secret-token", workspace: root.path, memoryDirectory: memoryDirectory, version: "test")
        configuration.maxConcurrentRuns = maxConcurrentRuns
        configuration.messageRate = rate
        configuration.messageBurst = rate
        let log = ServerLog(level: .error, write: { _ in })
        let store = memory
        if let executor {
            app = ServeApp(configuration: configuration, memory: store, log: log, executor: executor)
        } else {
            app = ServeApp(configuration: configuration, memory: store, log: log)
        }
    }

    func remove() { try? FileManager.default.removeItem(at: root) }
}
