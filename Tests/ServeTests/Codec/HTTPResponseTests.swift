import Testing

@testable import Serve

@Suite struct HTTPResponseTests {
    @Test func text_serializedExactly() {
        let bytes = HTTPResponse.text(404, "nope").serialized()
        #expect(
            String(decoding: bytes, as: UTF8.self)
                == "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 4\r\n\r\nnope")
    }

    @Test func json_serializedExactly() {
        let bytes = HTTPResponse.json(200, #"{"ok":true}"#).serialized()
        #expect(
            String(decoding: bytes, as: UTF8.self)
                == "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"ok\":true}")
    }

    @Test func switchingProtocols_hasNoContentLength() {
        let bytes = HTTPResponse(status: 101, headers: [("Upgrade", "websocket")]).serialized()
        #expect(
            String(decoding: bytes, as: UTF8.self) == "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n")
    }

    @Test func explicitContentLength_isNotDuplicated() {
        let bytes = HTTPResponse(status: 204, headers: [("Content-Length", "0")]).serialized()
        #expect(String(decoding: bytes, as: UTF8.self) == "HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n")
    }

    @Test func parseError_response() {
        let response = HTTPParseError(status: 431, reason: "too many header fields").response
        #expect(
            String(decoding: response.serialized(), as: UTF8.self)
                == "HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Connection: close\r\nContent-Length: 23\r\n\r\ntoo many header fields\n")
    }
}
