import Testing

@testable import Serve

@Suite struct HTTPHeadParserTests {
    static let request = Array(
        """
        GET /ws?token=a%2Bb+c&x HTTP/1.1\r
        Host: 127.0.0.1:8765\r
        Upgrade: websocket\r
        Connection: keep-alive, Upgrade\r
        Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r
        Sec-WebSocket-Protocol: raaid.v1, chat\r
        Sec-WebSocket-Protocol:  other \t\r
        Empty:\r
        Sec-WebSocket-Version: 13\r
        \r

        """.utf8)
    static let leftover: [UInt8] = [0x81, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F]

    static let expected = HTTPRequestHead(
        method: "GET", target: "/ws?token=a%2Bb+c&x", version: "HTTP/1.1",
        headers: [
            ("Host", "127.0.0.1:8765"), ("Upgrade", "websocket"), ("Connection", "keep-alive, Upgrade"),
            ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="), ("Sec-WebSocket-Protocol", "raaid.v1, chat"),
            ("Sec-WebSocket-Protocol", "other"), ("Empty", ""), ("Sec-WebSocket-Version", "13"),
        ])

    /// Feeds `bytes` in chunks; returns the head and every byte left after it.
    static func feed(_ bytes: [UInt8], chunkSize: Int, limits: HTTPLimits = HTTPLimits()) throws(HTTPParseError)
        -> (HTTPRequestHead?, [UInt8])
    {
        var parser = HTTPHeadParser(limits: limits)
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + chunkSize)
            var slice = bytes[start..<end]
            start = end
            if let head = try parser.parse(&slice) { return (head, Array(slice) + bytes[end...]) }
            #expect(slice.isEmpty)
        }
        return (nil, [])
    }

    @Test(arguments: Array(1...20) + [100, 1000])
    func parse_validRequest_inEveryChunking(chunkSize: Int) throws {
        let (head, rest) = try Self.feed(Self.request + Self.leftover, chunkSize: chunkSize)
        #expect(head == Self.expected)
        #expect(rest == Self.leftover)
    }

    @Test func parse_incompleteHead_returnsNil() throws {
        let (head, _) = try Self.feed(Array(Self.request.dropLast(1)), chunkSize: 7)
        #expect(head == nil)
    }

    @Test func parse_bareLF_isTolerated() throws {
        let bytes = Array("GET / HTTP/1.1\nHost: x\n\nrest".utf8)
        let (head, rest) = try Self.feed(bytes, chunkSize: 3)
        #expect(head == HTTPRequestHead(method: "GET", target: "/", headers: [("Host", "x")]))
        #expect(rest == Array("rest".utf8))
    }

    @Test func parse_leadingEmptyLines_areIgnored() throws {
        let (head, _) = try Self.feed(Array("\r\n\r\nGET / HTTP/1.1\r\n\r\n".utf8), chunkSize: 1)
        #expect(head == HTTPRequestHead(method: "GET", target: "/"))
    }

    @Test func parse_twoRequests_parserResets() throws {
        var parser = HTTPHeadParser()
        var bytes = Array("GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.0\r\nA: 1\r\n\r\n".utf8)[...]
        #expect(try parser.parse(&bytes)?.target == "/a")
        #expect(
            try parser.parse(&bytes)
                == HTTPRequestHead(method: "GET", target: "/b", version: "HTTP/1.0", headers: [("A", "1")]))
        #expect(bytes.isEmpty)
    }

    // MARK: Limits

    @Test func requestLineTooLong_414BeforeItEnds() {
        let limits = HTTPLimits(maxLineLength: 100)
        let line = Array("GET /\(String(repeating: "a", count: 200))".utf8)  // no line terminator yet
        #expect(throws: HTTPParseError(status: 414, reason: "request line too long")) {
            _ = try Self.feed(line, chunkSize: 10, limits: limits)
        }
    }

    @Test func lineAtLimit_accepted_withCRLF() throws {
        let limits = HTTPLimits(maxLineLength: 16)
        let line = "GET /abc HTTP/1.1"  // 17 bytes
        #expect(throws: HTTPParseError.self) {
            _ = try Self.feed(Array((line + "\r\n\r\n").utf8), chunkSize: 1, limits: limits)
        }
        let fits = "GET /ab HTTP/1.1"  // 16 bytes
        for chunkSize in 1...20 {
            let (head, _) = try Self.feed(Array((fits + "\r\n\r\n").utf8), chunkSize: chunkSize, limits: limits)
            #expect(head?.target == "/ab")
        }
    }

    @Test func headerLineTooLong_431() {
        let limits = HTTPLimits(maxLineLength: 64)
        let bytes = Array("GET / HTTP/1.1\r\nX: \(String(repeating: "v", count: 100))".utf8)
        #expect(throws: HTTPParseError(status: 431, reason: "header line too long")) {
            _ = try Self.feed(bytes, chunkSize: 5, limits: limits)
        }
    }

    @Test func tooManyHeaders_431() throws {
        let fields = (0..<101).map { "H\($0): v\r\n" }.joined()
        #expect(throws: HTTPParseError(status: 431, reason: "too many header fields")) {
            _ = try Self.feed(Array("GET / HTTP/1.1\r\n\(fields)\r\n".utf8), chunkSize: 1000)
        }
        let hundred = (0..<100).map { "H\($0): v\r\n" }.joined()
        let (head, _) = try Self.feed(Array("GET / HTTP/1.1\r\n\(hundred)\r\n".utf8), chunkSize: 1000)
        #expect(head?.headers.count == 100)
    }

    @Test func headTooLarge_431() {
        let limits = HTTPLimits(maxHeadSize: 200)
        let fields = (0..<20).map { "Header-\($0): value\r\n" }.joined()
        #expect(throws: HTTPParseError(status: 431, reason: "request head too large")) {
            _ = try Self.feed(Array("GET / HTTP/1.1\r\n\(fields)".utf8), chunkSize: 13, limits: limits)
        }
    }

    // MARK: Malformed

    @Test(arguments: [
        "GET  / HTTP/1.1", "GET / HTTP/1.1 x", "GET /", "GET", " / HTTP/1.1", "G(T / HTTP/1.1", "GET / HTTX/1.1",
        "GET / HTTP/1.10", "GET / http/1.1", "GET \u{7F} HTTP/1.1",
    ])
    func malformedRequestLine_400(line: String) {
        let error = #expect(throws: HTTPParseError.self) {
            _ = try Self.feed(Array("\(line)\r\n\r\n".utf8), chunkSize: 100)
        }
        #expect(error?.status == 400)
    }

    @Test(arguments: ["HTTP/2.0", "HTTP/0.9", "HTTP/3.0"])
    func unsupportedVersion_505(version: String) {
        #expect(throws: HTTPParseError(status: 505, reason: "HTTP version not supported")) {
            _ = try Self.feed(Array("GET / \(version)\r\n\r\n".utf8), chunkSize: 100)
        }
    }

    @Test(arguments: [
        ("Host: a\r\n continued\r\n", "obsolete line folding"), ("\tHost: a\r\n", "obsolete line folding"),
        ("Host : a\r\n", "malformed header name"), (": a\r\n", "malformed header name"),
        ("NoColon\r\n", "header line without colon"), ("Ho\rst: a\r\n", "bare CR in request head"),
        ("Host: a\0b\r\n", "control character in header value"),
        ("Host: a\u{7F}\r\n", "control character in header value"),
    ])
    func malformedHeader_400(fields: String, reason: String) {
        #expect(throws: HTTPParseError(status: 400, reason: reason)) {
            _ = try Self.feed(Array("GET / HTTP/1.1\r\n\(fields)\r\n".utf8), chunkSize: 100)
        }
    }

    // MARK: Accessors

    @Test func accessors() {
        let head = Self.expected
        #expect(head.header("host") == "127.0.0.1:8765")
        #expect(head.header("SEC-WEBSOCKET-PROTOCOL") == "raaid.v1, chat")
        #expect(head.headers(named: "sec-websocket-protocol") == ["raaid.v1, chat", "other"])
        #expect(head.header("Missing") == nil)
        #expect(head.path == "/ws")
        #expect(head.queryItems == ["token": "a+b+c", "x": ""])
    }

    @Test func queryItems_decodingAndDuplicates() {
        let head = HTTPRequestHead(method: "GET", target: "/p?a=%C3%A9&a=2&b=%zz&c=%41%42&=e#frag")
        #expect(head.path == "/p")
        #expect(head.queryItems == ["a": "é", "b": "%zz", "c": "AB", "": "e"])
        #expect(HTTPRequestHead(method: "GET", target: "/p#x?y").path == "/p")
        #expect(HTTPRequestHead(method: "GET", target: "/").queryItems.isEmpty)
    }
}
