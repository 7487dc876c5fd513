import Phases

/// A token bucket: `rate` messages per second on average, bursts up to `burst`.
struct RateLimiter: Sendable {
    let rate: Double
    let burst: Double
    private var tokens: Double
    private var last: UInt64

    init(rate: Double, burst: Double, now: UInt64 = Timestamp.monotonicNanos()) {
        self.rate = rate
        self.burst = burst
        self.tokens = burst
        self.last = now
    }

    /// Takes one token; false when the bucket is empty (the message is refused).
    mutating func allow(now: UInt64 = Timestamp.monotonicNanos()) -> Bool {
        let elapsed = Double(now &- last) / 1_000_000_000
        last = now
        tokens = min(burst, tokens + elapsed * rate)
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }
}
