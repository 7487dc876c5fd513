/// Where a record lives: promoted to global memory, or only in the session that wrote it.
public enum MemoryScope: String, Sendable {
    /// Seen by every session; stored in `global/records.jsonl`.
    case global
    /// Seen only by the session that wrote it; stored in `sessions/<session>/records.jsonl`.
    case session
}
