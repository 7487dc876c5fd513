import Foundation
import Memory
import Testing

/// `raaid memory …` through the binary: list, show, search, export, sessions, wipe, and damaged files.
@Suite(.timeLimit(.minutes(1))) struct MemoryCommandTests {
    /// A workspace with two finished research runs in two sessions.
    private func makeWorkspace() async throws -> URL {
        let workspace = try Fixtures.makeSwiftWorkspace()
        for (task, session) in [("tokenizer errors", "alpha"), ("evaluator sums", "beta")] {
            let output = try await RaaidProcess.run(["run", "-m", task, "--research-only", "-q", "--session", session], in: workspace)
            #expect(output.exitCode == 0, "\(output.stderr)")
        }
        return workspace
    }

    @Test func listShowSearchExport() async throws {
        let workspace = try await makeWorkspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let table = try await RaaidProcess.run(["memory", "list", "--kind", "related_file"], in: workspace)
        #expect(table.exitCode == 0)
        #expect(table.stdout.contains("related_file"))
        #expect(table.stdout.contains("Sources/CalcCore/"))

        let json = try await RaaidProcess.run(["memory", "list", "--json", "--session", "alpha"], in: workspace)
        let records = try json.lines.map { try JSONValue.parse($0) }
        #expect(!records.isEmpty)
        #expect(records.allSatisfy { $0["v"]?.intValue == 1 && $0["id"]?.stringValue?.count == 26 })

        let id = try #require(records.first?["id"]?.stringValue)
        let shown = try await RaaidProcess.run(["memory", "show", id], in: workspace)
        #expect(shown.exitCode == 0)
        #expect(shown.stdout.hasPrefix("id:      \(id)\n"))
        let ambiguous = try await RaaidProcess.run(["memory", "show", String(id.prefix(8))], in: workspace)
        #expect(ambiguous.exitCode == 1)
        #expect(ambiguous.stderr.contains("give more characters of the id"))
        let missing = try await RaaidProcess.run(["memory", "show", "ZZZZ"], in: workspace)
        #expect(missing.exitCode == 1)
        #expect(missing.stderr.contains("no record has an id starting with 'ZZZZ'"))

        let found = try await RaaidProcess.run(["memory", "search", "evaluator", "--json"], in: workspace)
        #expect(found.exitCode == 0)
        #expect(!found.lines.isEmpty)
        #expect(try found.lines.allSatisfy { try JSONValue.parse($0)["data"]!.serialized().lowercased().contains("evaluator") })

        let exported = try await RaaidProcess.run(["memory", "export"], in: workspace)
        let sessions = Set(try exported.lines.map { try JSONValue.parse($0)["session"]?.stringValue ?? "" })
        #expect(sessions == ["alpha", "beta"])
        let listedSessions = try await RaaidProcess.run(["memory", "sessions"], in: workspace)
        #expect(listedSessions.stdout == "alpha\nbeta\n")
    }

    @Test func wipe_needsConfirmationAndRemovesOnlyWhatWasAsked() async throws {
        let workspace = try await makeWorkspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let refused = try await RaaidProcess.run(["memory", "wipe", "--session", "alpha"], in: workspace)
        #expect(refused.exitCode == 2)
        #expect(refused.stderr.hasPrefix("Error: refusing to wipe without --yes"))
        let nothing = try await RaaidProcess.run(["memory", "wipe", "--yes"], in: workspace)
        #expect(nothing.exitCode == 2)
        #expect(nothing.stderr.hasPrefix("Error: say what to wipe: --session NAME or --all"))

        #expect(try await RaaidProcess.run(["memory", "wipe", "--session", "alpha", "--yes"], in: workspace).exitCode == 0)
        #expect(try await RaaidProcess.run(["memory", "sessions"], in: workspace).stdout == "beta\n")
        #expect(try await RaaidProcess.run(["memory", "wipe", "--all", "--yes"], in: workspace).exitCode == 0)
        #expect(try await RaaidProcess.run(["memory", "export"], in: workspace).stdout.isEmpty)
        let runs = try FileManager.default.contentsOfDirectory(atPath: workspace.appendingPathComponent(".raaid/runs").path)
        #expect(runs.count == 2, "run logs are kept")
    }

    @Test func corruptedLine_isReportedWithFileAndLine_andKept() async throws {
        let workspace = try await makeWorkspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let file = workspace.appendingPathComponent(".raaid/global/records.jsonl")
        var lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let total = lines.count - 1
        lines.insert("{\"v\":1,\"id\":broken", at: 2)
        try lines.joined(separator: "\n").write(to: file, atomically: false, encoding: .utf8)

        let listed = try await RaaidProcess.run(["memory", "list", "--json"], in: workspace)
        #expect(listed.exitCode == 0)
        #expect(listed.stderr.contains("global/records.jsonl:3:"), "stderr: \(listed.stderr)")
        #expect(listed.lines.filter { $0.contains(#""scope":"global""#) }.count == total)

        let again = try await RaaidProcess.run(["run", "-m", "token", "--research-only", "-q"], in: workspace)
        #expect(again.exitCode == 0)
        #expect(try String(contentsOf: file, encoding: .utf8).contains("{\"v\":1,\"id\":broken\n"), "never dropped")
    }

    @Test func missingMemoryDirectory_isAClearError() async throws {
        let workspace = try Fixtures.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let output = try await RaaidProcess.run(["memory", "list"], in: workspace)
        #expect(output.exitCode == 3)
        #expect(output.stderr.hasPrefix("Error: "))
        #expect(!FileManager.default.fileExists(atPath: workspace.appendingPathComponent(".raaid").path), "list creates nothing")
    }
}
