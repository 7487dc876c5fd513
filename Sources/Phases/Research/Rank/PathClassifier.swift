/// Classifies workspace paths as primary sources or secondary material (tests, docs, examples, vendored code…).
enum PathClassifier {
    /// The role a path plays in the project.
    enum Role: Equatable {
        case source, test, docs, example, benchmark, vendored, generated
    }

    private static let directoryRoles: [String: Role] = [
        "test": .test, "tests": .test, "spec": .test, "specs": .test, "__tests__": .test, "testing": .test,
        "testdata": .test, "fixtures": .test, "__mocks__": .test, "mocks": .test, "integrationtests": .test,
        "e2e": .test, "doc": .docs, "docs": .docs, "documentation": .docs, "example": .example,
        "examples": .example, "sample": .example, "samples": .example, "demo": .example, "demos": .example,
        "snippets": .example, "playground": .example, "benchmark": .benchmark, "benchmarks": .benchmark,
        "bench": .benchmark, "perf": .benchmark, "vendor": .vendored, "vendored": .vendored,
        "third_party": .vendored, "thirdparty": .vendored, "third-party": .vendored, "node_modules": .vendored,
        "external": .vendored, "extern": .vendored, "deps": .vendored, "pods": .vendored, "carthage": .vendored,
        "generated": .generated, "gen": .generated, "dist": .generated, "build": .generated,
        ".build": .generated, "target": .generated, "out": .generated,
    ]

    /// The role of `path`.
    static func role(of path: String) -> Role {
        let parts = path.split(separator: "/")
        for dir in parts.dropLast() {
            let d = dir.lowercased()
            if let role = directoryRoles[d] { return role }
            if d.hasSuffix("tests") || d.hasSuffix("test") || d.hasSuffix("_test") { return .test }
            if d.hasSuffix(".docc") { return .docs }
            if d.hasSuffix("benchmarks") { return .benchmark }
            if d.hasSuffix("examples") { return .example }
        }
        let name = String(parts.last ?? "")
        let stem = name.split(separator: ".").first.map(String.init) ?? name
        let lower = name.lowercased()
        if stem.hasSuffix("Tests") || stem.hasSuffix("Test") || stem.hasSuffix("Spec") || lower.hasSuffix("_test.go")
            || lower.hasPrefix("test_") || lower.hasSuffix("_test.py") || lower.hasSuffix("_tests.py")
            || lower.contains(".test.") || lower.contains(".spec.") || lower == "conftest.py"
            || lower.hasSuffix("_spec.rb") || lower.hasSuffix("_test.rb")
        {
            return .test
        }
        if lower.contains(".generated.") || lower.hasSuffix(".pb.go") || lower.hasSuffix(".pb.swift") {
            return .generated
        }
        return .source
    }

    /// Multiplier applied to a file's score: sources 1, everything else well below so it ranks after them.
    static func factor(path: String, language: SourceLanguage) -> Double {
        var f: Double
        switch role(of: path) {
        case .source: f = 1
        case .test: f = 0.3
        case .docs, .example, .benchmark: f = 0.25
        case .vendored, .generated: f = 0.15
        }
        if !language.isCode { f *= 0.35 }
        let name = path.split(separator: "/").last.map(String.init) ?? path
        if name.hasPrefix("Package") && name.hasSuffix(".swift") { f *= 0.5 }
        return f
    }
}
