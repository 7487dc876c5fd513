/// Resource limits for one WebSocket connection (STYLE.md §4).
///
/// ``WSFrameParser`` enforces ``maxFrameSize`` from the frame header, before any payload byte is buffered.
/// ``WSConnectionState`` enforces ``maxMessageSize`` and ``maxFragments`` while reassembling. Each violation closes
/// the connection with ``WSCloseCode/messageTooBig`` (1009).
public struct WSLimits: Sendable, Equatable {
    /// The largest payload a single frame may declare. Defaults to 1 MiB.
    public var maxFrameSize: Int
    /// The largest reassembled message. Defaults to 16 MiB.
    public var maxMessageSize: Int
    /// The most frames (the first one included) a fragmented message may span. Defaults to 65 536.
    public var maxFragments: Int

    /// Creates limits; every value must be positive.
    public init(maxFrameSize: Int = 1 << 20, maxMessageSize: Int = 16 << 20, maxFragments: Int = 65_536) {
        precondition(maxFrameSize > 0 && maxMessageSize > 0 && maxFragments > 0, "WebSocket limits must be positive")
        self.maxFrameSize = maxFrameSize
        self.maxMessageSize = maxMessageSize
        self.maxFragments = maxFragments
    }
}
