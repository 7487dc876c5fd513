import Testing

@testable import Phases

@Suite struct IgnorePatternTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var line: String
        var path: String
        var isDirectory: Bool
        var expected: Bool
        var testDescription: String { "'\(line)' vs \(path)\(isDirectory ? "/" : "") → \(expected)" }
    }

    static let cases: [Case] = [
        Case(line: "*.log", path: "a/b/x.log", isDirectory: false, expected: true),
        Case(line: "*.log", path: "x.logs", isDirectory: false, expected: false),
        Case(line: "/*.log", path: "a/x.log", isDirectory: false, expected: false),
        Case(line: "/*.log", path: "x.log", isDirectory: false, expected: true),
        Case(line: "build/", path: "build", isDirectory: true, expected: true),
        Case(line: "build/", path: "build", isDirectory: false, expected: false),
        Case(line: "build/", path: "src/build", isDirectory: true, expected: true),
        Case(line: "doc/frotz", path: "doc/frotz", isDirectory: false, expected: true),
        Case(line: "doc/frotz", path: "a/doc/frotz", isDirectory: false, expected: false),
        Case(line: "doc/frotz/", path: "doc/frotz", isDirectory: true, expected: true),
        Case(line: "**/foo", path: "x/y/foo", isDirectory: false, expected: true),
        Case(line: "**/foo/bar", path: "foo/bar", isDirectory: false, expected: true),
        Case(line: "foo/**", path: "foo/a/b", isDirectory: false, expected: true),
        Case(line: "foo/**", path: "foo", isDirectory: true, expected: false),
        Case(line: "a/**/b", path: "a/b", isDirectory: false, expected: true),
        Case(line: "a/**/b", path: "a/x/y/b", isDirectory: false, expected: true),
        Case(line: "a/*/b", path: "a/x/y/b", isDirectory: false, expected: false),
        Case(line: "\\#file", path: "#file", isDirectory: false, expected: true),
        Case(line: "\\!bang", path: "!bang", isDirectory: false, expected: true),
        Case(line: "trail\\ ", path: "trail ", isDirectory: false, expected: true),
        Case(line: "trail  ", path: "trail", isDirectory: false, expected: true),
        Case(line: "[a-c].txt", path: "b.txt", isDirectory: false, expected: true),
        Case(line: "[!a-c].txt", path: "b.txt", isDirectory: false, expected: false),
        Case(line: "?.md", path: "dir/x.md", isDirectory: false, expected: true),
        Case(line: "foo", path: "x/foo", isDirectory: true, expected: true),
        Case(line: "*", path: "any/thing", isDirectory: false, expected: true),
        Case(line: "foo**/bar", path: "foox/y/bar", isDirectory: false, expected: true),  // git quirk: prefix split
    ]

    @Test(arguments: cases)
    func matches_likeGit(_ example: Case) throws {
        let pattern = try #require(IgnoreRules.parse(Array(example.line.utf8)).first)
        let path = Array(example.path.utf8)
        let basename = (path.lastIndex(of: 0x2F).map { $0 + 1 }) ?? 0
        let matched = path.withUnsafeBufferPointer {
            pattern.matches($0, baseLength: 0, basenameStart: basename, isDirectory: example.isDirectory)
        }
        #expect(matched == example.expected)
    }

    @Test func parse_dropsCommentsBlankLinesAndHandlesEscapes() {
        let text = "\u{FEFF}# comment\n\n   \n\\#hash\n!neg\n\\!bang\r\nend\\\\ \ntabs\t\n"
        let patterns = IgnoreRules.parse(Array(text.utf8))
        let lines = patterns.map { ($0.isNegated ? "!" : "") + String(decoding: $0.bytes, as: UTF8.self) }
        #expect(lines == ["\\#hash", "!neg", "\\!bang", "end\\\\", "tabs\t"])
    }

    @Test func parse_keepsEscapedTrailingSpace() {
        let patterns = IgnoreRules.parse(Array("a\\ \nb\\  \n".utf8))
        #expect(patterns.map { String(decoding: $0.bytes, as: UTF8.self) } == ["a\\ ", "b\\ "])
    }

    @Test func rules_deeperFileWinsAndLastLineWins() {
        let root = IgnoreRules(parent: nil, baseLength: 0, patterns: IgnoreRules.parse(Array("*.txt\n".utf8)))
        let sub = IgnoreRules(parent: root, baseLength: 4, patterns: IgnoreRules.parse(Array("!keep.txt\n".utf8)))
        func ignored(_ path: String, _ rules: IgnoreRules) -> Bool? {
            let bytes = Array(path.utf8)
            let base = (bytes.lastIndex(of: 0x2F).map { $0 + 1 }) ?? 0
            return bytes.withUnsafeBufferPointer { rules.isIgnored($0, basenameStart: base, isDirectory: false) }
        }
        #expect(ignored("sub/keep.txt", sub) == false)
        #expect(ignored("sub/other.txt", sub) == true)
        #expect(ignored("sub/x.md", sub) == nil)
    }
}
