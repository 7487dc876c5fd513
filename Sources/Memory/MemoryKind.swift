/// What a memory record holds; an extensible string value.
///
/// Kinds this raaid does not know (written by a later release) are kept as they are, so reading never fails
/// on them and compaction never drops them.
public struct MemoryKind: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The value stored in the record's `kind` field.
    public let rawValue: String

    /// Wraps any raw value, known or not.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Wraps any raw value, known or not.
    public init(_ rawValue: String) { self.rawValue = rawValue }

    /// The raw value.
    public var description: String { rawValue }

    /// A key fact learned about the task or the code.
    public static let fact = MemoryKind("fact")
    /// A key snippet: path, lines, text and why it matters.
    public static let snippet = MemoryKind("snippet")
    /// A related file: path, score and why.
    public static let relatedFile = MemoryKind("related_file")
    /// A research note.
    public static let researchNote = MemoryKind("research_note")
    /// A plan.
    public static let plan = MemoryKind("plan")
    /// A task of a plan, with its status.
    public static let task = MemoryKind("task")
    /// An entry of the work log.
    public static let workLog = MemoryKind("work_log")
    /// A human's answer to a question.
    public static let answer = MemoryKind("answer")

    /// Every kind this raaid writes.
    public static let all: [MemoryKind] = [
        .fact, .snippet, .relatedFile, .researchNote, .plan, .task, .workLog, .answer,
    ]
}
