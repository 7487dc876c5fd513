import Synchronization

#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Musl)
    @preconcurrency import Musl
#endif

/// A record's id and time, taken from one clock reading.
///
/// The id is a ULID: 26 Crockford base32 characters, 48 bits of Unix milliseconds then 80 random bits. Within
/// one process ids are strictly increasing (the random part is incremented when the clock has not moved), so
/// sorting by id or by `(time, id)` gives creation order.
struct RecordStamp: Sendable, Equatable {
    /// The ULID.
    var id: String
    /// RFC 3339 UTC with milliseconds, such as `2026-11-22T01:02:03.456Z`.
    var time: String

    private struct State {
        var milliseconds: UInt64 = 0
        var high: UInt16 = 0  // top 16 of the 80 random bits
        var low: UInt64 = 0  // bottom 64 of the 80 random bits
    }

    // Process-wide so that ids from every store and thread stay monotonic.
    private static let state = Mutex(State())

    /// A fresh, strictly increasing stamp, no earlier than `notBefore` milliseconds.
    static func next(notBefore: UInt64 = 0) -> RecordStamp {
        let now = max(currentMilliseconds(), notBefore)
        let (milliseconds, high, low) = state.withLock { state -> (UInt64, UInt16, UInt64) in
            if now > state.milliseconds {
                state.milliseconds = now
                state.high = UInt16.random(in: 0...UInt16.max) & 0x7FFF  // leave room to increment
                state.low = UInt64.random(in: 0...UInt64.max)
            } else {
                let (low, overflow) = state.low.addingReportingOverflow(1)
                state.low = low
                if overflow { state.high &+= 1 }
            }
            return (state.milliseconds, state.high, state.low)
        }
        return RecordStamp(id: ulid(milliseconds, high, low), time: rfc3339(milliseconds))
    }

    /// Milliseconds since the Unix epoch, from the real-time clock.
    static func currentMilliseconds() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return UInt64(spec.tv_sec) * 1000 + UInt64(spec.tv_nsec) / 1_000_000
    }

    private static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    private static func ulid(_ milliseconds: UInt64, _ high: UInt16, _ low: UInt64) -> String {
        var chars = [UInt8](repeating: 0, count: 26)
        for i in 0..<10 { chars[9 - i] = alphabet[Int((milliseconds >> (5 * UInt64(i))) & 31)] }
        // 80 random bits = 16 groups of 5, from the least significant end.
        for i in 0..<16 {
            let shift = 5 * i
            let value: UInt64
            if shift + 5 <= 64 {
                value = (low >> UInt64(shift)) & 31
            } else if shift < 64 {
                value = ((low >> UInt64(shift)) | (UInt64(high) << UInt64(64 - shift))) & 31
            } else {
                value = (UInt64(high) >> UInt64(shift - 64)) & 31
            }
            chars[25 - i] = alphabet[Int(value)]
        }
        return String(decoding: chars, as: UTF8.self)
    }

    /// Formats Unix milliseconds as `YYYY-MM-DDTHH:MM:SS.mmmZ`.
    static func rfc3339(_ milliseconds: UInt64) -> String {
        let parts = utcParts(milliseconds)
        return "\(pad(parts.year, 4))-\(pad(parts.month, 2))-\(pad(parts.day, 2))T\(pad(parts.hour, 2)):"
            + "\(pad(parts.minute, 2)):\(pad(parts.second, 2)).\(pad(parts.millisecond, 3))Z"
    }

    /// Formats Unix milliseconds as `YYYYMMDDTHHMMSSmmmZ`, for file names.
    static func compact(_ milliseconds: UInt64) -> String {
        let parts = utcParts(milliseconds)
        return "\(pad(parts.year, 4))\(pad(parts.month, 2))\(pad(parts.day, 2))T\(pad(parts.hour, 2))"
            + "\(pad(parts.minute, 2))\(pad(parts.second, 2))\(pad(parts.millisecond, 3))Z"
    }

    /// Parses the `YYYY-MM-DDTHH:MM:SS.mmmZ` form written by ``rfc3339(_:)`` back to Unix milliseconds.
    static func milliseconds(fromRFC3339 text: String) -> UInt64? {
        let bytes = Array(text.utf8)
        guard bytes.count == 24, bytes[23] == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int32? {
            var value: Int32 = 0
            for byte in bytes[range] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int32(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
            let millisecond = number(20..<23)
        else { return nil }
        var broken = tm()
        broken.tm_year = year - 1900
        broken.tm_mon = month - 1
        broken.tm_mday = day
        broken.tm_hour = hour
        broken.tm_min = minute
        broken.tm_sec = second
        let seconds = timegm(&broken)
        guard seconds >= 0 else { return nil }
        return UInt64(seconds) * 1000 + UInt64(millisecond)
    }

    private static func utcParts(
        _ milliseconds: UInt64
    ) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, millisecond: Int) {
        var seconds = time_t(milliseconds / 1000)
        var broken = tm()
        gmtime_r(&seconds, &broken)
        return (
            Int(broken.tm_year) + 1900, Int(broken.tm_mon) + 1, Int(broken.tm_mday), Int(broken.tm_hour),
            Int(broken.tm_min), Int(broken.tm_sec), Int(milliseconds % 1000)
        )
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
