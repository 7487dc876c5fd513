@testable import Memory

extension MemoryRecord {
    /// A record with a small payload, for tests.
    static func make(
        _ kind: MemoryKind = .fact, text: String = "a fact", session: String = "s1", run: String? = "r1",
        phase: String? = "research"
    ) -> MemoryRecord {
        MemoryRecord(kind: kind, data: ["text": .string(text)], session: session, run: run, phase: phase)
    }
}
