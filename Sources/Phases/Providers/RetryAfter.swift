/// Parses the server's wait hints: `retry-after-ms` (milliseconds, Anthropic and OpenAI) first, then
/// `retry-after` as delta-seconds or an HTTP-date (RFC 9110 §10.2.3, IMF-fixdate).
public enum RetryAfter {
    /// The delay in seconds, or nil when neither header is present or parseable.
    /// - Parameters:
    ///   - headers: response headers with lowercased names.
    ///   - now: seconds since 1970 (for an HTTP-date).
    public static func parse(headers: [String: String], now: Double) -> Double? {
        if let ms = headers["retry-after-ms"].flatMap({ Double($0.trimmingWhitespace()) }), ms >= 0, ms.isFinite {
            return ms / 1000
        }
        guard let value = headers["retry-after"]?.trimmingWhitespace(), !value.isEmpty else { return nil }
        if let seconds = Double(value), seconds.isFinite { return max(0, seconds) }
        guard let date = parseHTTPDate(value) else { return nil }
        return max(0, date - now)
    }

    /// Seconds since 1970 for an IMF-fixdate such as `Sun, 06 Nov 1994 08:49:37 GMT`.
    public static func parseHTTPDate(_ text: String) -> Double? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, parts[5] == "GMT" else { return nil }
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        guard let day = Int(parts[1]), let monthIndex = months.firstIndex(of: String(parts[2])),
            let year = Int(parts[3])
        else { return nil }
        let clock = parts[4].split(separator: ":").compactMap { Int($0) }
        guard clock.count == 3 else { return nil }
        let days = daysFromCivil(year: year, month: monthIndex + 1, day: day)
        return Double(days * 86400 + clock[0] * 3600 + clock[1] * 60 + clock[2])
    }

    /// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }
}
