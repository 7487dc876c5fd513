import Foundation
import Testing

@testable import Phases

/// The byte-level fast paths of ``SourceLanguage/of(path:)`` and ``PathClassifier/role(of:)`` must decide exactly
/// like their `String` reference implementations.
@Suite struct PathFastPathTests {
    static let paths = [
        "a/b/", "", "Tests", "x/.build/y.swift", "x/MyTests/y.swift", "x/y/FooTests.swift", "conftest.py",
        "a/conftest.py", "a/xconftest.py", "a/...", "a/.hidden.Test.swift", "A/B/C.Spec.ts", "A/b.TEST.js",
        "vendor/x.c", "Sources/Foo.docc/x.md", "a/b.min.js", "a/B.MIN.JS", "Makefile", "a/Makefile", "a/makefile",
        "x.SWIFT", "x.", "x.averyveryverylongextension", "dir/Ünïcode/file.swift", "dir/file.Swïft",
        "third-party/a.c", "a/test_x.py", "a/x_test.go", "pkg/gen/x.pb.swift", "a/b.generated.cs", "a//b/c.rs",
        "Sources/NIOCore/ByteBuffer-aux.swift", "Benchmarks/Thresholds/x.json", "docs/index.rst", "Spec/x_spec.rb",
        "src/main/java/App.java", "include/x.hpp", "Examples/Demo/main.swift", "x/integrationtests/y.kt",
    ]

    @Test(arguments: paths)
    func sourceLanguage_fastPathMatchesReference(_ path: String) {
        #expect(SourceLanguage.of(path: path) == SourceLanguage.ofText(path: path))
    }

    @Test(arguments: paths)
    func pathRole_fastPathMatchesReference(_ path: String) {
        #expect(PathClassifier.role(of: path) == PathClassifier.roleOfText(path))
    }

    @Test func packageManifests_areHalved() {
        #expect(PathClassifier.factor(path: "Package.swift", language: .swift) == 0.5)
        #expect(PathClassifier.factor(path: "a/Package@swift-5.9.swift", language: .swift) == 0.5)
        #expect(PathClassifier.factor(path: "a/Package.swift/", language: .swift) == 0.5)
        #expect(PathClassifier.factor(path: "Sources/App/main.swift", language: .swift) == 1)
        #expect(PathClassifier.factor(path: "Sources/Päckage.swift", language: .swift) == 1)
    }

    @Test func bothMatch_onPathsListedIn_RAAID_PATHS_FILE() throws {
        guard let file = ProcessInfo.processInfo.environment["RAAID_PATHS_FILE"] else { return }
        let paths = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").map(String.init)
        var mismatches = 0
        for path in paths {
            if SourceLanguage.of(path: path) != SourceLanguage.ofText(path: path) { mismatches += 1 }
            if PathClassifier.role(of: path) != PathClassifier.roleOfText(path) { mismatches += 1 }
            var copy = path
            let fast = copy.withUTF8 { p in
                Ranker.asciiFileStem(p).map { Tokenizer.tokens(String(decoding: $0, as: UTF8.self)) }
            }
            if let fast, fast != Self.referenceStemTokens(path) { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }
}

extension PathFastPathTests {
    /// The `String` computation the byte fast path of ``Ranker/fileNameCoverage(_:_:)`` replaces.
    private static func referenceStemTokens(_ path: String) -> [String] {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let stem = name.split(separator: ".").dropLast().joined(separator: ".")
        return Tokenizer.tokens(stem.isEmpty ? name : stem)
    }

    @Test(arguments: paths + ["a/b.c.swift", "a/..x..y..", "a/x.", "a/.swift", "a/Foo.Bar.Baz.swift", "x/HTTPServer"])
    func fileStem_tokenizesLikeTheStringVersion(_ path: String) {
        var copy = path
        let fast = copy.withUTF8 { p in
            Ranker.asciiFileStem(p).map { Tokenizer.tokens(String(decoding: $0, as: UTF8.self)) }
        }
        if let fast { #expect(fast == Self.referenceStemTokens(path)) }
    }
}

extension PathFastPathTests {
    @Test(arguments: paths + ["Sources/Serve/WebSocket/WSFrameParser.swift", "a/frame_parser_frame.py", "docs/éclair-frame.md", "x/README"])
    func fileNameCoverage_matchesTheStringDefinition(_ path: String) {
        let weights: [String: Double] = ["frame": 1, "parser": 0.5, "web": 1, "socket": 1, "readme": 1]
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let stem = name.split(separator: ".").dropLast().joined(separator: ".")
        var distinct: [String] = []
        for token in Tokenizer.tokens(stem.isEmpty ? name : stem) where !distinct.contains(token) { distinct.append(token) }
        let expected = distinct.isEmpty ? 0 : Double(distinct.filter { weights[$0] != nil }.count) / Double(distinct.count)
        #expect(Ranker.fileNameCoverage(path, weights) == expected)
    }
}
