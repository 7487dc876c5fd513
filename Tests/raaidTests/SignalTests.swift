import Foundation
import Memory
import Testing

/// SIGINT and SIGTERM end the run with `run.completed` status `cancelled` and exit 130 / 143.
@Suite(.timeLimit(.minutes(1))) struct SignalTests {
    @Test(arguments: [(SIGINT, 130, "sigint"), (SIGTERM, 143, "sigterm")])
    func signal_cancelsRunCleanly(_ signalNumber: Int32, _ exitCode: Int32, _ reason: String) async throws {
        let workspace = try Fixtures.makeSwiftWorkspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        // Enough files that the run's output is far larger than the pipe.
        for index in 0..<60 {
            try Fixtures.write(
                "/// Tokenizer helper \(index).\nstruct TokenizerHelper\(index) { func tokenize\(index)() {} }\n",
                to: "Sources/CalcCore/Helper\(index).swift", in: workspace)
        }
        let process = Process()
        process.executableURL = RepositoryPaths.executable
        process.arguments = ["run", "-m", "tokenizer helper tokenize", "--research-only", "-q", "--max-related", "60", "--max-snippets", "50"]
        process.currentDirectoryURL = workspace
        let out = Pipe()
        // A one-page pipe: raaid blocks writing events long before it can promote anything.
        _ = fcntl(out.fileHandleForReading.fileDescriptor, 1031 /* F_SETPIPE_SZ */, 4096)
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let reader = out.fileHandleForReading
        let (received, status) = try await offPool { () -> (Data, Int32) in
            var received = Data()
            while !received.contains(UInt8(ascii: "\n")) {
                let chunk = reader.readData(ofLength: 1)
                if chunk.isEmpty { break }
                received.append(chunk)
            }
            usleep(200_000)
            kill(process.processIdentifier, signalNumber)
            received.append(reader.readDataToEndOfFile())
            process.waitUntilExit()
            return (received, process.terminationStatus)
        }
        #expect(status == exitCode)
        let lines = String(decoding: received, as: UTF8.self).split(separator: "\n").map(String.init)
        let events = try EventStreamChecks.check(lines)
        #expect(events.last?["status"]?.stringValue == "cancelled")
        #expect(events.last?["reason"]?.stringValue == reason)
        #expect(events.last?["exit_code"]?.intValue == Int(exitCode))
        let global = try await RaaidProcess.run(["memory", "list", "--json"], in: workspace).lines
        #expect(!global.contains { $0.contains(#""scope":"global""#) }, "a cancelled run leaves global memory as it was")
    }
}
