import Foundation
import Memory
import Testing

@testable import Phases

@Suite struct WriteToolsTests {
    @Test func writeFile_createsParents_andReportsAFileChange() async throws {
        let fixture = try ToolFixture()
        defer { fixture.remove() }
        let created = try await call("write_file", ["path": "new/deep/a.txt", "content": "1\n2\n3\n"], in: fixture)
        #expect(!created.isError)
        #expect(fixture.read("new/deep/a.txt") == "1\n2\n3\n")
        #expect(
            created.metadata["file_change"] == [
                "path": "new/deep/a.txt", "op": "create", "lines_added": 3, "lines_removed": 0,
            ])
        let rewritten = try await call(
            "write_file", ["path": "new/deep/a.txt", "content": "1\ntwo\n3\n4\n"], in: fixture)
        #expect(
            rewritten.metadata["file_change"] == [
                "path": "new/deep/a.txt", "op": "modify", "lines_added": 2, "lines_removed": 1,
            ])
        #expect(fixture.read("new/deep/a.txt") == "1\ntwo\n3\n4\n")
    }

    @Test func writeFile_keepsPermissions_andRefusesDirectories() async throws {
        let fixture = try ToolFixture()
        defer { fixture.remove() }
        try fixture.write("run.sh", "#!/bin/sh\n")
        chmod(fixture.root + "/run.sh", 0o755)
        _ = try await call("write_file", ["path": "run.sh", "content": "#!/bin/sh\necho hi\n"], in: fixture)
        var info = stat()
        stat(fixture.root + "/run.sh", &info)
        #expect(info.st_mode & 0o777 == 0o755)
        try fixture.write("dir/x", "")
        let onDirectory = try await call("write_file", ["path": "dir", "content": "x"], in: fixture)
        #expect(onDirectory.isError && onDirectory.metadata["error_code"] == "not_a_file")
        let protected = try await call("write_file", ["path": ".git/config", "content": "x"], in: fixture)
        #expect(protected.isError && protected.metadata["error_code"] == "path_escape")
        #expect(!fixture.exists(fixture.root + "/.git"))
    }

    @Test func editFile_replacesAUniqueMatch() async throws {
        let fixture = try ToolFixture()
        defer { fixture.remove() }
        try fixture.write("a.swift", "func a() {\n    return 1\n}\n")
        let output = try await call(
            "edit_file", ["path": "a.swift", "old": "    return 1\n", "new": "    let x = 1\n    return x\n"],
            in: fixture)
        #expect(!output.isError)
        #expect(fixture.read("a.swift") == "func a() {\n    let x = 1\n    return x\n}\n")
        #expect(
            output.metadata["file_change"] == ["path": "a.swift", "op": "modify", "lines_added": 2, "lines_removed": 1])
        #expect(output.text.contains("     2\t    let x = 1"))
    }

    @Test func editFile_noMatch_showsTheClosestCandidatesWithLineNumbers() async throws {
        let fixture = try ToolFixture()
        defer { fixture.remove() }
        let lines = [
            "import Foundation", "", "struct Config {", "    var name: String", "    var retries: Int = 3", "}", "",
            "func load() -> Config {", "    Config(name: \"x\")", "}",
        ]
        try fixture.write("c.swift", lines.joined(separator: "\n") + "\n")
        let before = fixture.read("c.swift")
        let output = try await call(
            "edit_file", ["path": "c.swift", "old": "    var name: string\n    var retries: Int = 5", "new": "x"],
            in: fixture)
        #expect(output.isError)
        #expect(output.metadata["error_code"] == "no_match")
        #expect(output.text.hasPrefix("edit_file: \"old\" was not found in 'c.swift'."))
        #expect(output.text.contains("--- lines 4-5 (similarity"))
        #expect(output.text.contains("     4\t    var name: String\n     5\t    var retries: Int = 3"))
        #expect(output.text.components(separatedBy: "--- lines").count == 4)
        #expect(fixture.read("c.swift") == before)
    }

    @Test func editFile_whitespaceOnlyDifference_isPointedOut() async throws {
        let fixture = try ToolFixture()
        defer { fixture.remove() }
        try fixture.write("w.py", "def f():\n\treturn 1\n")
        let output = try await call(
            "edit_file", ["path": "w.py", "old": "    return 1", "new": "    return 2"], in: fixture)
        #expect(output.isError)
        #expect(output.text.contains("--- lines 2-2 (similarity 100%, differs only in white space/indentation)"))
    }

    @Test func editFile_severalMatches_isAnErrorListingThem_unlessReplaceAll() async throws {
        let fixture = try ToolFixture()
        defer { fixture.remove() }
        try fixture.write("m.txt", "a = 1\nb = 2\na = 1\nc = 3\na = 1\n")
        let output = try await call("edit_file", ["path": "m.txt", "old": "a = 1", "new": "a = 9"], in: fixture)
        #expect(output.isError && output.metadata["error_code"] == "ambiguous_match")
        #expect(output.text.contains("occurs 3 times"))
        #expect(output.text.contains("--- occurrence at line 1"))
        #expect(output.text.contains("--- occurrence at line 3"))
        #expect(output.text.contains("--- occurrence at line 5"))
        #expect(fixture.read("m.txt") == "a = 1\nb = 2\na = 1\nc = 3\na = 1\n")
        let all = try await call(
            "edit_file", ["path": "m.txt", "old": "a = 1", "new": "a = 9", "replace_all": true], in: fixture)
        #expect(!all.isError && all.text.contains("replaced 3 occurrences"))
        #expect(fixture.read("m.txt") == "a = 9\nb = 2\na = 9\nc = 3\na = 9\n")
    }

    @Test func editFile_acceptsLFForCRLFFiles() async throws {
        let fixture = try ToolFixture()
        defer { fixture.remove() }
        try fixture.write("w.txt", "one\r\ntwo\r\nthree\r\n")
        let output = try await call("edit_file", ["path": "w.txt", "old": "one\ntwo", "new": "1\n2"], in: fixture)
        #expect(!output.isError)
        #expect(fixture.read("w.txt") == "1\r\n2\r\nthree\r\n")
    }

    @Test func editFile_errors() async throws {
        let fixture = try ToolFixture()
        defer { fixture.remove() }
        try fixture.write("a.txt", "x")
        let missing = try await call("edit_file", ["path": "b.txt", "old": "x", "new": "y"], in: fixture)
        #expect(missing.isError && missing.text.contains("use write_file to create it"))
        let same = try await call("edit_file", ["path": "a.txt", "old": "x", "new": "x"], in: fixture)
        #expect(same.isError && same.metadata["error_code"] == "invalid_input")
        let empty = try await call("edit_file", ["path": "a.txt", "old": "", "new": "y"], in: fixture)
        #expect(empty.isError && empty.metadata["error_code"] == "invalid_input")
        let noNew = try await call("edit_file", ["path": "a.txt", "old": "x"], in: fixture)
        #expect(noNew.text == "edit_file: \"new\" is required (string)")
    }

    @Test func diffStats_countsChangedLines() {
        func stats(_ a: String, _ b: String) -> DiffStats { DiffStats.compute(old: Array(a.utf8), new: Array(b.utf8)) }
        #expect(stats("a\nb\nc\n", "a\nb\nc\n") == DiffStats(added: 0, removed: 0))
        #expect(stats("", "a\nb\n") == DiffStats(added: 2, removed: 0))
        #expect(stats("a\nb\nc\n", "a\nc\n") == DiffStats(added: 0, removed: 1))
        #expect(stats("a\nb\nc\nd\n", "a\nx\nc\ny\nd\n") == DiffStats(added: 2, removed: 1))
    }
}
