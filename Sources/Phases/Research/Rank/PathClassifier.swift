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
        var copy = path
        if let role = copy.withUTF8({ roleOfASCII($0) }) { return role }
        return roleOfText(path)
    }

    /// The same decision on raw bytes, for ASCII paths (`nil` otherwise), without building `String`s.
    private static func roleOfASCII(_ path: UnsafeBufferPointer<UInt8>) -> Role? {
        for b in path where b >= 0x80 { return nil }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(path.count, 1)) { lower -> Role? in
            for (k, b) in path.enumerated() { lower[k] = b >= 0x41 && b <= 0x5A ? b | 0x20 : b }
            let low = UnsafeBufferPointer(lower)
            // Non-empty components; the last one is the file name.
            var components: [Range<Int>] = []
            var start = 0
            for k in 0...path.count where k == path.count || path[k] == 0x2F {
                if k > start { components.append(start..<k) }
                start = k + 1
            }
            for dir in components.dropLast() {
                if let role = directoryTable.value(low, dir) { return role }
                if has(low, dir, suffix: "tests") || has(low, dir, suffix: "test") { return .test }
                if has(low, dir, suffix: ".docc") { return .docs }
                if has(low, dir, suffix: "benchmarks") { return .benchmark }
                if has(low, dir, suffix: "examples") { return .example }
            }
            let name = components.last ?? 0..<0
            // The stem is the first non-empty dot-separated part of the name (or the whole name).
            var stem = name
            var s = name.lowerBound
            for k in name.lowerBound...name.upperBound where k == name.upperBound || path[k] == 0x2E {
                if k > s {
                    stem = s..<k
                    break
                }
                s = k + 1
            }
            if has(path, stem, suffix: "Tests") || has(path, stem, suffix: "Test") || has(path, stem, suffix: "Spec")
                || has(low, name, suffix: "_test.go") || has(low, name, prefix: "test_")
                || has(low, name, suffix: "_test.py") || has(low, name, suffix: "_tests.py")
                || has(low, name, infix: ".test.") || has(low, name, infix: ".spec.")
                || (name.count == 11 && has(low, name, suffix: "conftest.py"))
                || has(low, name, suffix: "_spec.rb") || has(low, name, suffix: "_test.rb")
            {
                return .test
            }
            if has(low, name, infix: ".generated.") || has(low, name, suffix: ".pb.go")
                || has(low, name, suffix: ".pb.swift")
            {
                return .generated
            }
            return .source
        }
    }

    private static let directoryTable = WordTable(directoryRoles.map { ($0.key, $0.value) })

    private static func has(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>, suffix: StaticString) -> Bool {
        let k = suffix.utf8CodeUnitCount
        guard r.count >= k else { return false }
        for i in 0..<k where b[r.upperBound - k + i] != suffix.utf8Start[i] { return false }
        return true
    }

    private static func has(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>, prefix: StaticString) -> Bool {
        let k = prefix.utf8CodeUnitCount
        guard r.count >= k else { return false }
        for i in 0..<k where b[r.lowerBound + i] != prefix.utf8Start[i] { return false }
        return true
    }

    private static func has(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>, infix: StaticString) -> Bool {
        let k = infix.utf8CodeUnitCount
        guard r.count >= k else { return false }
        for s in r.lowerBound...(r.upperBound - k) where has(b, s..<(s + k), prefix: infix) { return true }
        return false
    }

    /// Whether the file name starts with "Package" and ends with ".swift" (bytes for ASCII names, else `String`s).
    private static func isPackageManifest(_ path: String) -> Bool {
        var copy = path
        let fast = copy.withUTF8 { p -> Bool? in
            guard let last = p.last, last != 0x2F else { return nil }
            var start = p.count
            while start > 0 && p[start - 1] != 0x2F {
                if p[start - 1] >= 0x80 { return nil }
                start -= 1
            }
            let name = start..<p.count
            return has(p, name, prefix: "Package") && has(p, name, suffix: ".swift")
        }
        if let fast { return fast }
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return name.hasPrefix("Package") && name.hasSuffix(".swift")
    }

    /// The reference implementation on `String`s (used for non-ASCII paths).
    static func roleOfText(_ path: String) -> Role {
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
        factor(role: role(of: path), path: path, language: language)
    }

    /// ``factor(path:language:)`` when `role` (the role of `path`) is already known.
    static func factor(role: Role, path: String, language: SourceLanguage) -> Double {
        var f: Double
        switch role {
        case .source: f = 1
        case .test: f = 0.3
        case .docs, .example, .benchmark: f = 0.25
        case .vendored, .generated: f = 0.15
        }
        if !language.isCode { f *= 0.35 }
        if isPackageManifest(path) { f *= 0.5 }
        return f
    }
}
