/// Size limits for an HTTP request head, checked as bytes arrive (STYLE.md §4).
public struct HTTPLimits: Sendable, Equatable {
    /// The longest request line or header line, excluding its line terminator. Defaults to 8 KiB.
    public var maxLineLength: Int
    /// The most header fields. Defaults to 100.
    public var maxHeaderCount: Int
    /// The largest head, line terminators and the final empty line included. Defaults to 64 KiB.
    public var maxHeadSize: Int

    /// Creates limits.
    public init(maxLineLength: Int = 8192, maxHeaderCount: Int = 100, maxHeadSize: Int = 65536) {
        self.maxLineLength = maxLineLength
        self.maxHeaderCount = maxHeaderCount
        self.maxHeadSize = maxHeadSize
    }
}
