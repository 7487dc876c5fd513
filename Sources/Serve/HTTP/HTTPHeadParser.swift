// An HTTP/1.1 request head (RFC 9112 §2.1, §3, §5):
//
//   GET /ws?token=abc HTTP/1.1\r\n          request-line = method SP request-target SP HTTP-version CRLF
//   Host: 127.0.0.1:8765\r\n                field-line   = field-name ":" OWS field-value OWS CRLF
//   Upgrade: websocket\r\n
//   \r\n                                     empty line: end of the head; any bytes after it are left unread
//
//  Line terminators: CRLF, or a bare LF (tolerated, RFC 9112 §2.2 "MAY recognize a single LF"). A CR that is not
//  followed by LF is rejected. Leading empty lines before the request line are skipped (§2.2 "SHOULD ignore").

/// Incrementally parses HTTP/1.1 request heads, enforcing ``HTTPLimits`` as the bytes arrive.
///
/// The parser consumes bytes up to and including the empty line that ends the head; whatever follows (a body, or
/// the first WebSocket frame sent eagerly by a client) stays in the caller's buffer. It does not interpret
/// header semantics (`Host`, `Content-Length`…): that is the caller's job.
public struct HTTPHeadParser: Sendable {
    /// The limits in force.
    public let limits: HTTPLimits
    /// The current line, without its terminator so far.
    private var line: [UInt8] = []
    /// Bytes consumed for the current head.
    private var headSize = 0
    /// The parsed request line, once seen.
    private var requestLine: (method: String, target: String, version: String)?
    private var headers: [(name: String, value: String)] = []

    /// Creates a parser.
    public init(limits: HTTPLimits = HTTPLimits()) {
        self.limits = limits
    }

    /// Consumes bytes from the front of `bytes` and returns the request head once it is complete.
    ///
    /// After a head is returned the parser is reset and can parse the next request on the same connection.
    /// - Parameter bytes: The input; on return, the bytes after the head (or empty if the head is incomplete).
    /// - Returns: The head, or `nil` if more bytes are needed.
    /// - Throws: ``HTTPParseError`` with status 400, 414, 431 or 505.
    public mutating func parse(_ bytes: inout ArraySlice<UInt8>) throws(HTTPParseError) -> HTTPRequestHead? {
        while !bytes.isEmpty {
            let newline = bytes.firstIndex(of: UInt8(ascii: "\n"))
            let segment = bytes[bytes.startIndex..<(newline ?? bytes.endIndex)]
            // Limits are checked before the bytes are copied into the parser.
            try checkSize(adding: segment, consumed: segment.count + (newline == nil ? 0 : 1))
            line.append(contentsOf: segment)
            bytes = bytes[(newline.map { $0 + 1 } ?? bytes.endIndex)...]
            guard newline != nil else { return nil }
            if line.last == UInt8(ascii: "\r") { line.removeLast() }
            if let head = try completeLine() {
                reset()
                return head
            }
            line.removeAll(keepingCapacity: true)
        }
        return nil
    }

    /// Enforces the line and head limits on the current line extended by `segment`, and counts `consumed` bytes.
    private mutating func checkSize(adding segment: ArraySlice<UInt8>, consumed: Int) throws(HTTPParseError) {
        // A trailing CR is (or may become) half of the terminator, which does not count towards the line length.
        let endsWithCR = (segment.last ?? line.last) == UInt8(ascii: "\r")
        if line.count + segment.count - (endsWithCR ? 1 : 0) > limits.maxLineLength {
            // RFC 9112 §3: a request line longer than the server accepts earns 414 URI Too Long.
            if requestLine == nil { throw HTTPParseError(status: 414, reason: "request line too long") }
            throw .headersTooLarge("header line too long")
        }
        headSize += consumed
        guard headSize <= limits.maxHeadSize else { throw .headersTooLarge("request head too large") }
    }

    /// Processes a complete line (terminator removed); returns the head after the final empty line.
    private mutating func completeLine() throws(HTTPParseError) -> HTTPRequestHead? {
        // RFC 9112 §2.2: a bare CR is invalid anywhere in the head.
        guard !line.contains(UInt8(ascii: "\r")) else { throw .badRequest("bare CR in request head") }
        guard let request = requestLine else {
            if line.isEmpty { return nil }  // §2.2: ignore empty lines before the request line.
            requestLine = try Self.parseRequestLine(line)
            return nil
        }
        guard !line.isEmpty else {
            return HTTPRequestHead(
                method: request.method, target: request.target, version: request.version, headers: headers)
        }
        guard headers.count < limits.maxHeaderCount else { throw .headersTooLarge("too many header fields") }
        headers.append(try Self.parseField(line))
        return nil
    }

    private mutating func reset() {
        line.removeAll(keepingCapacity: true)
        headSize = 0
        requestLine = nil
        headers = []
    }
}
