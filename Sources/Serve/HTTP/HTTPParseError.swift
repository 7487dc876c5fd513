/// A request head that cannot be accepted, with the status code to answer it with.
public struct HTTPParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 400 (malformed), 414 (request line too long), 431 (header line, count or head too large) or 505 (version).
    public var status: Int
    /// A short explanation, suitable for a plain-text response body.
    public var reason: String

    /// Creates an error.
    public init(status: Int, reason: String) {
        self.status = status
        self.reason = reason
    }

    /// A 400 Bad Request.
    static func badRequest(_ reason: String) -> HTTPParseError { HTTPParseError(status: 400, reason: reason) }

    /// A 431 Request Header Fields Too Large.
    static func headersTooLarge(_ reason: String) -> HTTPParseError { HTTPParseError(status: 431, reason: reason) }

    /// The response to send for this error.
    public var response: HTTPResponse {
        var response = HTTPResponse.text(status, reason + "\n")
        response.headers.append(("Connection", "close"))
        return response
    }

    /// The status and reason, for logs.
    public var description: String { "HTTP \(status): \(reason)" }
}
