import Testing

@testable import Phases

@Suite struct RankingPassesTests {
    @Test func siblingNames_expandSlashAndConjunctionShorthand() {
        #expect(TaskQuery.siblingNames("[Rigid/UniqueArray] bounds checks") == ["RigidArray"])
        #expect(TaskQuery.siblingNames("Rename reallocate for Rigid and UniqueArray") == ["RigidArray"])
        #expect(TaskQuery.siblingNames("UniqueArray/Dictionary") == ["UniqueDictionary"])
        #expect(TaskQuery.siblingNames("read/write access, Foo and Bar").isEmpty)
        #expect(TaskQuery("[Rigid/UniqueArray] bounds checks").siblingSymbols == ["RigidArray"])
    }

    @Test func slashAlternatives_inProse_areNotSymbols() {
        let q = TaskQuery("Restore read/write abilities of the DatabaseQueue")
        #expect(q.namedSymbols == ["DatabaseQueue"])
    }

    @Test func adjacentProseWords_joinIntoAnIdentifierTerm() {
        let terms = QueryTerms(TaskQuery("update the hash table in place"))
        #expect(terms.terms.contains { $0.text == "hashtable" && $0.inTitle })
        #expect(terms.symbols.contains { $0.token == "hashtable" && $0.spelling == "hash table" && !$0.strong })
        #expect(QueryTerms.join("bounds", "checks") == "boundscheck")
        #expect(QueryTerms.join("x2", "y") == nil)
    }

    @Test(arguments: [
        ("Tests/CoreTests/ParserTests.swift", "parser"), ("pkg/foo_test.go", "foo"), ("tests/test_utils.py", "utils"),
        ("src/widget.spec.ts", "widget"), ("spec/models/user_spec.rb", "user"),
    ])
    func testFiles_nameTheirSubject(path: String, subject: String) {
        #expect(TestSubjectPass.subject(ofTest: path) == subject)
    }

    @Test func parallelFiles_ofSiblingTypes_rankTogether() throws {
        let ws = try TempWorkspace()
        defer { ws.remove() }
        for kind in ["Rigid", "Unique"] {
            for part in ["Append", "Removals", "Initializers", "Descriptions"] {
                try ws.write(
                    "Sources/Containers/\(kind)Array/\(kind)Array+\(part).swift",
                    "extension \(kind)Array {\n    public mutating func \(part.lowercased())Item() { _ = count }\n}\n")
            }
        }
        // Only the Unique file mentions the task's words; its Rigid twin is found through the parallel path.
        try ws.write(
            "Sources/Containers/UniqueArray/UniqueArray+Append.swift",
            "extension UniqueArray {\n    /// Appends without a duplicate bounds check.\n    public mutating func append() {}\n}\n"
        )
        let result = try ResearchEngine(workspace: ws.root).run(
            task: "[Rigid/UniqueArray] Eliminate duplicate bounds checks in UniqueArray append")
        let top = Array(result.relatedFiles.prefix(2).map(\.path))
        #expect(top.contains("Sources/Containers/UniqueArray/UniqueArray+Append.swift"))
        #expect(top.contains("Sources/Containers/RigidArray/RigidArray+Append.swift"))
    }

    @Test func crowdedDirectory_leavesRoomForOtherCandidates() throws {
        let ws = try TempWorkspace()
        defer { ws.remove() }
        for i in 0..<8 {
            try ws.write("Sources/Tree/HashNode/Node\(i).swift", "struct Node\(i) { var storage: Int; var tree = 0 }\n")
        }
        try ws.write("Sources/Sorted/BTree/Storage.swift", "final class Storage { deinit {} }\n")
        let result = try ResearchEngine(workspace: ws.root).run(task: "tree storage deinit")
        let rank = try #require(result.relatedFiles.firstIndex { $0.path == "Sources/Sorted/BTree/Storage.swift" })
        #expect(rank < 4)
    }
}
