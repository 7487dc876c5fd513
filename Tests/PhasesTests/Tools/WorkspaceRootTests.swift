import Foundation
import Memory
import Testing

@testable import Phases

@Suite struct WorkspaceRootTests {
    @Test func resolve_insidePaths_giveRootRelativeLocations() throws {
        let fixture = try ToolFixture()
        defer { fixture.remove() }
        try fixture.write("Sources/a.swift", "a")
        try fixture.symlink("link-to-sources", to: "Sources")
        let ws = fixture.workspace
        #expect(try ws.resolve("Sources/a.swift").relative == "Sources/a.swift")
        #expect(try ws.resolve("./Sources//./a.swift").relative == "Sources/a.swift")
        #expect(try ws.resolve("Sources/../Sources/a.swift").relative == "Sources/a.swift")
        #expect(try ws.resolve(fixture.root + "/Sources/a.swift").relative == "Sources/a.swift")
        #expect(try ws.resolve("link-to-sources/a.swift").relative == "Sources/a.swift")
        #expect(try ws.resolve("").relative == ".")
        #expect(try ws.resolve(".").relative == ".")
        let new = try ws.resolve("new/dir/file.txt")
        #expect(new.relative == "new/dir/file.txt" && !new.exists)
        #expect(try ws.resolve("missing/../Sources/a.swift").relative == "Sources/a.swift")
    }

    @Test func resolve_refusesEveryEscapeForm() throws {
        let fixture = try ToolFixture()
        defer { fixture.remove() }
        try fixture.write("Sources/a.swift", "a")
        try fixture.symlink("out-dir", to: fixture.outside)
        try fixture.symlink("out-relative", to: "../outside")
        try fixture.symlink("dangling-out", to: fixture.outside + "/missing.txt")
        try fixture.symlink("Sources/up", to: "../../outside/x")
        try fixture.symlink("loop-a", to: "loop-b")
        try fixture.symlink("loop-b", to: "loop-a")
        let cases: [(String, PathEscapeError.Reason)] = [
            ("../outside/x", .parentTraversal),
            ("Sources/../../outside", .parentTraversal),
            ("..", .parentTraversal),
            ("new/../../x", .parentTraversal),
            ("/etc/passwd", .absoluteOutside),
            (fixture.outside + "/x", .absoluteOutside),
            ("out-dir/secret.txt", .symlinkOutside),
            ("out-dir", .symlinkOutside),
            ("out-relative/x", .symlinkOutside),
            ("dangling-out", .symlinkOutside),
            ("Sources/up", .symlinkOutside),
            ("missing/../out-dir/x", .symlinkOutside),
            ("loop-a", .symlinkLoop),
            ("bad\u{0}name", .invalid),
        ]
        for (path, reason) in cases {
            #expect(throws: PathEscapeError(path: path, reason: reason), "\(path)") {
                try fixture.workspace.resolve(path)
            }
        }
    }

    @Test func resolveForWriting_refusesProtectedPathsAndTheRoot() throws {
        let fixture = try ToolFixture()
        defer { fixture.remove() }
        #expect(throws: PathEscapeError(path: ".git/hooks/pre-commit", reason: .protected)) {
            try fixture.workspace.resolveForWriting(".git/hooks/pre-commit")
        }
        #expect(throws: PathEscapeError(path: ".raaid/x", reason: .protected)) {
            try fixture.workspace.resolveForWriting(".raaid/x")
        }
        #expect(throws: PathEscapeError.self) { try fixture.workspace.resolveForWriting(".") }
        #expect(try fixture.workspace.resolveForWriting(".gitignore").relative == ".gitignore")
    }

    @Test func tools_refuseEscapes_andTouchNothingOutside() async throws {
        let fixture = try ToolFixture()
        defer { fixture.remove() }
        try "secret".write(toFile: fixture.outside + "/secret.txt", atomically: true, encoding: .utf8)
        try fixture.symlink("out-dir", to: fixture.outside)
        try fixture.symlink("dangling-out", to: fixture.outside + "/created-through-link.txt")
        let context = ToolFixture.implementContext(fixture)
        let calls: [(String, JSONValue)] = [
            ("read_file", ["path": "../outside/secret.txt"]),
            ("read_file", ["path": "out-dir/secret.txt"]),
            ("read_file", ["path": .string(fixture.outside + "/secret.txt")]),
            ("list_directory", ["path": "out-dir"]),
            ("search", ["pattern": "secret", "path": "out-dir"]),
            ("find_files", ["pattern": "*", "path": ".."]),
            ("write_file", ["path": "../outside/new.txt", "content": "x"]),
            ("write_file", ["path": "out-dir/new.txt", "content": "x"]),
            ("write_file", ["path": "dangling-out", "content": "x"]),
            ("write_file", ["path": "out-dir/deep/new.txt", "content": "x"]),
            ("edit_file", ["path": "out-dir/secret.txt", "old": "secret", "new": "changed"]),
        ]
        for (tool, input) in calls {
            let output = try await ToolRegistry.standard().call(tool, input: input, context: context)
            #expect(output.isError, "\(tool) \(input.serialized())")
            #expect(output.metadata["error_code"] == "path_escape", "\(tool) \(input.serialized())")
        }
        #expect(try String(contentsOfFile: fixture.outside + "/secret.txt", encoding: .utf8) == "secret")
        let outsideNames = try FileManager.default.contentsOfDirectory(atPath: fixture.outside)
        #expect(outsideNames == ["secret.txt"])
    }
}

extension ToolFixture {
    static func implementContext(_ fixture: ToolFixture) -> ToolContext {
        var context = fixture.context()
        context.phase = "implementation"
        return context
    }
}
