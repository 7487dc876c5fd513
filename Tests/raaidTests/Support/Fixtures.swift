import Foundation

/// Temporary directories and a small Swift project to research, created fresh for each test.
enum Fixtures {
    /// A new empty temporary directory.
    static func makeTemporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("raaid-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A small Swift package: a tokenizer library, an executable, tests, docs and an ignored build folder.
    static func makeSwiftWorkspace() throws -> URL {
        let root = try makeTemporaryDirectory()
        let files: [String: String] = [
            "Package.swift": """
                // swift-tools-version:6.0
                import PackageDescription
                let package = Package(name: "Calc", targets: [
                    .target(name: "CalcCore"), .executableTarget(name: "calc", dependencies: ["CalcCore"]),
                    .testTarget(name: "CalcCoreTests", dependencies: ["CalcCore"]),
                ])
                """,
            "Sources/CalcCore/Tokenizer.swift": """
                /// Splits an arithmetic expression into tokens.
                public struct Tokenizer {
                    public init() {}
                    /// Tokenizes `text`, throwing on an unknown character.
                    public func tokenize(_ text: String) throws -> [Token] {
                        var tokens: [Token] = []
                        for character in text where !character.isWhitespace {
                            if let digit = character.wholeNumberValue { tokens.append(.number(digit)) }
                            else if character == "+" { tokens.append(.plus) }
                            else { throw TokenizerError.unexpectedCharacter(character) }
                        }
                        return tokens
                    }
                }
                """,
            "Sources/CalcCore/Token.swift": """
                /// A lexical token.
                public enum Token: Equatable { case number(Int), plus }
                /// Why tokenizing failed.
                public enum TokenizerError: Error { case unexpectedCharacter(Character) }
                """,
            "Sources/CalcCore/Evaluator.swift": """
                /// Evaluates token streams.
                public struct Evaluator {
                    public init() {}
                    /// Sums the numbers.
                    public func evaluate(_ tokens: [Token]) -> Int {
                        tokens.reduce(0) { sum, token in if case .number(let n) = token { sum + n } else { sum } }
                    }
                }
                """,
            "Sources/calc/main.swift": """
                import CalcCore
                let tokens = try Tokenizer().tokenize(CommandLine.arguments.dropFirst().joined())
                print(Evaluator().evaluate(tokens))
                """,
            "Tests/CalcCoreTests/TokenizerTests.swift": """
                import Testing
                @testable import CalcCore
                @Test func tokenizesDigits() throws { #expect(try Tokenizer().tokenize("1+2") == [.number(1), .plus, .number(2)]) }
                """,
            "README.md": "# Calc\n\nA tiny calculator. `swift build`, `swift test`.\n",
            ".gitignore": "build/\n*.log\n",
            "build/Generated.swift": "struct Tokenizer {} // ignored by .gitignore\n",
            "debug.log": "Tokenizer Tokenizer Tokenizer\n",
        ]
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        return root
    }

    /// Writes `text` to `name` inside `directory` and returns the URL.
    @discardableResult
    static func write(_ text: String, to name: String, in directory: URL) throws -> URL {
        let url = directory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        return url
    }
}
