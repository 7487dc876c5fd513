/// A problem found in the memory files that did not stop the operation: a torn or corrupted line.
public struct MemoryWarning: Sendable, Equatable, CustomStringConvertible {
    /// The file, relative to the memory directory, such as `sessions/abc/records.jsonl`.
    public var file: String
    /// The 1-based line number, when the problem is on one line.
    public var line: Int?
    /// What was found and what was done about it.
    public var message: String

    /// Creates a warning.
    public init(file: String, line: Int?, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    /// `file:line: message`, the way compilers report positions.
    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }
}
