/// An HTTP/1.1 response to serialize onto a connection (RFC 9112 §4, §6).
public struct HTTPResponse: Sendable, Equatable {
    /// The status code.
    public var status: Int
    /// The reason phrase, from ``reasonPhrase(for:)`` by default.
    public var reason: String
    /// Header fields, in order. `Content-Length` is added by ``serialized()``.
    public var headers: [(String, String)]
    /// The body.
    public var body: [UInt8]

    /// Creates a response.
    public init(status: Int, headers: [(String, String)] = [], body: [UInt8] = []) {
        self.status = status
        self.reason = Self.reasonPhrase(for: status)
        self.headers = headers
        self.body = body
    }

    /// A `text/plain; charset=utf-8` response.
    public static func text(_ status: Int, _ body: String) -> HTTPResponse {
        HTTPResponse(status: status, headers: [("Content-Type", "text/plain; charset=utf-8")], body: Array(body.utf8))
    }

    /// An `application/json` response; `body` must already be JSON.
    public static func json(_ status: Int, _ body: String) -> HTTPResponse {
        HTTPResponse(status: status, headers: [("Content-Type", "application/json")], body: Array(body.utf8))
    }

    /// The status line, headers, a `Content-Length` (except for 101, or if already present), the empty line and
    /// the body.
    public func serialized() -> [UInt8] {
        var text = "HTTP/1.1 \(status) \(reason)\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        let hasLength = headers.contains { $0.0.lowercased() == "content-length" }
        if status != 101 && !hasLength { text += "Content-Length: \(body.count)\r\n" }
        text += "\r\n"
        return Array(text.utf8) + body
    }

    /// Compares every field, headers in order.
    public static func == (lhs: HTTPResponse, rhs: HTTPResponse) -> Bool {
        lhs.status == rhs.status && lhs.reason == rhs.reason && lhs.body == rhs.body
            && lhs.headers.count == rhs.headers.count && zip(lhs.headers, rhs.headers).allSatisfy { $0 == $1 }
    }

    /// The standard reason phrase for the status codes raaid uses (RFC 9110 §15), or `"Unknown"`.
    public static func reasonPhrase(for status: Int) -> String {
        switch status {
        case 101: "Switching Protocols"
        case 200: "OK"
        case 204: "No Content"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 414: "URI Too Long"
        case 426: "Upgrade Required"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 503: "Service Unavailable"
        case 505: "HTTP Version Not Supported"
        default: "Unknown"
        }
    }
}
