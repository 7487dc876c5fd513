/// A progress report from a research run, sent at a bounded rate.
public struct ResearchProgress: Sendable {
    /// `"walk"`, `"index"` or `"rank"`.
    public var stage: String
    /// Units done so far in this stage.
    public var done: Int
    /// Total units in this stage, when known.
    public var total: Int?
    /// The unit counted, `"files"`.
    public var unit: String

    /// Creates a progress report.
    public init(stage: String, done: Int, total: Int?, unit: String = "files") {
        self.stage = stage
        self.done = done
        self.total = total
        self.unit = unit
    }
}
