/// Test files point at the source they test: when `FooTests.swift`, `foo_test.go`, `test_foo.py` or
/// `foo.spec.ts` matches the task well, the source file named `Foo`/`foo` gets a boost in proportion to the test
/// file's score. Tests themselves still rank after sources (tiering), but their evidence is not lost.
struct TestSubjectPass {
    static let topFiles = 20
    static let weight = 0.3

    let corpus: CorpusIndex

    /// `roles` holds the known role of each file (by file number), or `nil` where it is to be computed.
    func apply(to scored: inout [Ranker.Scored], roles: [PathClassifier.Role?] = []) {
        func role(_ f: Int) -> PathClassifier.Role {
            (f < roles.count ? roles[f] : nil) ?? PathClassifier.role(of: corpus.files[f].path)
        }
        guard TestSubjectPass.weight > 0, let best = scored.first?.score, best > 0 else { return }
        let files = corpus.files
        var subjects: [String: Double] = [:]
        for s in scored.prefix(TestSubjectPass.topFiles) {
            let path = files[s.file].path
            guard role(s.file) == .test, let subject = TestSubjectPass.subject(ofTest: path) else {
                continue
            }
            subjects[subject] = max(subjects[subject] ?? 0, s.score / best)
        }
        guard !subjects.isEmpty else { return }
        var changed = false
        for i in scored.indices {
            let path = files[scored[i].file].path
            guard role(scored[i].file) == .source, let r = subjects[TestSubjectPass.stem(path)] else {
                continue
            }
            scored[i].score *= 1 + TestSubjectPass.weight * min(1, r)
            changed = true
        }
        if changed {
            scored.sort { $0.score != $1.score ? $0.score > $1.score : files[$0.file].path < files[$1.file].path }
        }
    }

    /// Lowercased file name without directories and extensions.
    static func stem(_ path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return (name.split(separator: ".").first.map(String.init) ?? name).lowercased()
    }

    /// The lowercased stem of the file a test file tests (`Tests/FooTests.swift` → `foo`), or nil.
    static func subject(ofTest path: String) -> String? {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let parts = name.split(separator: ".").map { $0.lowercased() }
        guard var s = parts.first, !s.isEmpty else { return nil }
        for suffix in ["tests", "test", "spec", "_tests", "_test", "_spec"] where s.hasSuffix(suffix) {
            s = String(s.dropLast(suffix.count))
            break
        }
        if s.hasPrefix("test_") { s = String(s.dropFirst(5)) }
        while s.hasSuffix("_") || s.hasSuffix("-") { s.removeLast() }
        return s.count >= 2 ? s : nil
    }
}
