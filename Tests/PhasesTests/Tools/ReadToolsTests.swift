import Foundation
import Memory
import Testing

@testable import Phases

@Suite struct ReadToolsTests {
    @Test func readFile_numbersLines_andReadsRanges() async throws {
        let fixture = try ToolFixture()
        defer { fixture.remove() }
        try fixture.write("a.txt", "one\ntwo\nthree\nfour\n")
        let whole = try await call("read_file", ["path": "a.txt"], in: fixture)
        #expect(whole.text == "     1\tone\n     2\ttwo\n     3\tthree\n     4\tfour\n")
        #expect(!whole.truncated)
        let range = try await call("read_file", ["path": "a.txt", "start_line": 2, "end_line": 3], in: fixture)
        #expect(range.text == "     2\ttwo\n     3\tthree\n")
        #expect(range.metadata["total_lines"] == 4)
        let pastEnd = try await call("read_file", ["path": "a.txt", "start_line": 9], in: fixture)
        #expect(pastEnd.isError && pastEnd.text.contains("has only 4 lines"))
    }

    @Test func readFile_capsLines_andSaysHowToContinue() async throws {
        let fixture = try ToolFixture()
        defer { fixture.remove() }
        try fixture.write("big.txt", (1...3000).map { "line \($0)" }.joined(separator: "\n"))
        let output = try await call("read_file", ["path": "big.txt"], in: fixture)
        #expect(output.truncated)
        #expect(output.text.contains("  2000\tline 2000\n"))
        #expect(!output.text.contains("line 2001\n"))
        #expect(output.text.contains("start_line 2001"))
    }

    @Test func readFile_errors() async throws {
        let fixture = try ToolFixture()
        defer { fixture.remove() }
        try fixture.writeBytes("image.bin", [0x89, 0x50, 0x00, 0x01, 0x02])
        try fixture.write("dir/x.txt", "x")
        let binary = try await call("read_file", ["path": "image.bin"], in: fixture)
        #expect(binary.isError && binary.metadata["error_code"] == "binary_file")
        let missing = try await call("read_file", ["path": "nope.txt"], in: fixture)
        #expect(missing.isError && missing.text == "read_file: 'nope.txt' does not exist")
        let directory = try await call("read_file", ["path": "dir"], in: fixture)
        #expect(directory.isError && directory.metadata["error_code"] == "not_a_file")
        let noPath = try await call("read_file", [:], in: fixture)
        #expect(noPath.text == "read_file: \"path\" is required (string)")
        let badType = try await call("read_file", ["path": "a", "start_line": "x"], in: fixture)
        #expect(badType.text == "read_file: \"start_line\" must be an integer, got string \"x\"")
        let zero = try await call("read_file", ["path": "a", "start_line": 0], in: fixture)
        #expect(zero.text == "read_file: \"start_line\" must be at least 1, got number 0")
        let extra = try await call("read_file", ["path": "a", "lines": 3], in: fixture)
        #expect(extra.text.hasPrefix("read_file: unknown field \"lines\""))
        let notObject = try await call("read_file", "a.txt", in: fixture)
        #expect(notObject.text.hasPrefix("read_file: input must be a JSON object"))
    }

    @Test func listDirectory_showsATree_honouringGitignore() async throws {
        let fixture = try ToolFixture()
        defer { fixture.remove() }
        try fixture.write(".gitignore", "build/\n*.log\n")
        try fixture.write("Sources/App/main.swift", "")
        try fixture.write("Sources/App/Deep/x.swift", "")
        try fixture.write("build/out.o", "")
        try fixture.write("debug.log", "")
        try fixture.write("README.md", "")
        try fixture.write(".git/HEAD", "")
        try fixture.write(".raaid/global/records.jsonl", "")
        let output = try await call("list_directory", ["path": ".", "depth": 2], in: fixture)
        #expect(output.text == "./\n  .gitignore\n  README.md\n  Sources/\n    App/")
        let sub = try await call("list_directory", ["path": "Sources", "depth": 3], in: fixture)
        #expect(sub.text == "Sources/\n  App/\n    Deep/\n      x.swift\n    main.swift")
        let all = try await call("list_directory", ["include_ignored": true, "depth": 1], in: fixture)
        #expect(all.text.contains("build/") && all.text.contains("debug.log"))
        let file = try await call("list_directory", ["path": "README.md"], in: fixture)
        #expect(file.isError)
    }

    @Test func findFiles_matchesGlobs() async throws {
        let fixture = try ToolFixture()
        defer { fixture.remove() }
        try fixture.write(".gitignore", "ignored/\n")
        for path in [
            "Sources/A/a.swift", "Sources/B/b.swift", "Tests/T/aTests.swift", "web/x.ts", "web/y.tsx",
            "web/z.js", "ignored/i.swift", "a1.md", "a22.md",
        ] {
            try fixture.write(path, "")
        }
        func find(_ input: JSONValue) async throws -> [String] {
            try await call("find_files", input, in: fixture).text.split(separator: "\n").map(String.init)
        }
        #expect(
            try await find(["pattern": "*.swift"]) == [
                "Sources/A/a.swift", "Sources/B/b.swift", "Tests/T/aTests.swift",
            ])
        #expect(try await find(["pattern": "Sources/**/*.swift"]) == ["Sources/A/a.swift", "Sources/B/b.swift"])
        #expect(try await find(["pattern": "**/*.{ts,tsx}"]) == ["web/x.ts", "web/y.tsx"])
        #expect(try await find(["pattern": "a?.md"]) == ["a1.md"])
        #expect(try await find(["pattern": "*.swift", "path": "Tests"]) == ["Tests/T/aTests.swift"])
        #expect(try await find(["pattern": "Sources/*", "include_directories": true]) == ["Sources/A/", "Sources/B/"])
        let none = try await call("find_files", ["pattern": "nothing"], in: fixture)
        #expect(none.text.contains("No files match"))
    }

    @Test func findFiles_capsResults() async throws {
        let fixture = try ToolFixture()
        defer { fixture.remove() }
        for index in 0..<30 { try fixture.write("f\(index).txt", "") }
        var registry = FindFilesTool()
        registry.maximumResults = 10
        let output = try await ToolRegistry(tools: [registry]).call(
            "find_files", input: ["pattern": "*.txt"], context: fixture.context())
        #expect(output.truncated)
        #expect(output.text.contains("[10 of 30 matches shown"))
        #expect(output.metadata["matches"] == 30)
    }

    @Test func globPattern_expandsBraces() {
        #expect(GlobPattern.expandBraces("a{b,c}d") == ["abd", "acd"])
        #expect(GlobPattern.expandBraces("{x,y{1,2}}") == ["x", "y1", "y2"])
        #expect(GlobPattern.expandBraces("{single}") == ["{single}"])
        #expect(GlobPattern("*.{h,c}").matches("src/main.c"))
        #expect(!GlobPattern("src/*.c").matches("src/sub/main.c"))
        #expect(GlobPattern("src/**/*.c").matches("src/sub/main.c"))
    }

    @Test func search_findsRegexMatches_withContextAndCaps() async throws {
        let fixture = try ToolFixture()
        defer { fixture.remove() }
        try fixture.write("Sources/a.swift", "import Foundation\nfunc alpha() {}\nlet x = 1\nfunc beta() {}\n")
        try fixture.write("Sources/b.swift", "func gamma() {}\n")
        try fixture.write("notes.md", "func in prose\n")
        try fixture.write(".gitignore", "gen/\n")
        try fixture.write("gen/c.swift", "func generated() {}\n")
        let plain = try await call("search", ["pattern": "^func \\w+\\(", "glob": "*.swift"], in: fixture)
        #expect(
            plain.text
                == "Sources/a.swift:2: func alpha() {}\nSources/a.swift:4: func beta() {}\nSources/b.swift:1: func gamma() {}"
        )
        #expect(plain.metadata["matches"] == 3)
        let context = try await call("search", ["pattern": "let x", "context_lines": 1], in: fixture)
        #expect(
            context.text
                == "Sources/a.swift-2- func alpha() {}\nSources/a.swift:3: let x = 1\nSources/a.swift-4- func beta() {}"
        )
        let insensitive = try await call("search", ["pattern": "IMPORT", "case_insensitive": true], in: fixture)
        #expect(insensitive.text == "Sources/a.swift:1: import Foundation")
        let fixed = try await call("search", ["pattern": "alpha()", "fixed_string": true], in: fixture)
        #expect(fixed.text == "Sources/a.swift:2: func alpha() {}")
        let oneFile = try await call("search", ["pattern": "func", "path": "notes.md"], in: fixture)
        #expect(oneFile.text == "notes.md:1: func in prose")
        let invalid = try await call("search", ["pattern": "func("], in: fixture)
        #expect(invalid.isError && invalid.text.contains("not a valid regular expression"))
        let none = try await call("search", ["pattern": "zzz"], in: fixture)
        #expect(none.text.hasPrefix("No matches"))
    }

    @Test func search_capsPerFileAndTotal() async throws {
        let fixture = try ToolFixture()
        defer { fixture.remove() }
        for file in 0..<5 {
            try fixture.write("f\(file).txt", (0..<50).map { "hit \($0)" }.joined(separator: "\n"))
        }
        var tool = SearchTool()
        tool.maximumPerFile = 10
        tool.maximumTotal = 25
        let output = try await ToolRegistry(tools: [tool]).call(
            "search", input: ["pattern": "hit"], context: fixture.context())
        #expect(output.truncated)
        #expect(output.metadata["matches"] == 250)
        let shown = output.text.split(separator: "\n").filter { $0.contains(": hit") }
        #expect(shown.count == 25)
        #expect(output.text.contains("f0.txt: … [40 more matching lines in this file]"))
        #expect(output.text.contains("[25 of 250 matching lines shown"))
    }
}
