import Testing

@testable import Phases

@Suite struct SSEParserTests {
    static let stream =
        "\u{FEFF}: a comment\r\nevent: greeting\r\ndata: line one\r\ndata: line two\r\n\r\n"
        + "data:no space\rdata:  two spaces\r\r" + "id: 7\nevent\ndata\n\n" + "data: tail ✓ ünïcode\n\n"

    static let expected = [
        SSEEvent(event: "greeting", data: "line one\nline two"),
        SSEEvent(event: "message", data: "no space\n two spaces"),
        SSEEvent(event: "message", data: "", id: "7"),
        SSEEvent(event: "message", data: "tail ✓ ünïcode", id: "7"),
    ]

    @Test(arguments: 1...12)
    func parse_yieldsTheSameEvents_inEveryChunking(chunkSize: Int) {
        var parser = SSEParser()
        var events: [SSEEvent] = []
        let bytes = Array(Self.stream.utf8)
        var offset = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + chunkSize)
            events += parser.feed(bytes[offset..<end])
            offset = end
        }
        events += parser.finish()
        #expect(events == Self.expected)
    }

    @Test func parse_splitsBetweenCRAndLF_withoutAnEmptyLine() {
        var parser = SSEParser()
        var events = parser.feed(Array("data: a\r".utf8))
        events += parser.feed(Array("\ndata: b\r".utf8))
        events += parser.feed(Array("\n\r\n".utf8))
        #expect(events == [SSEEvent(data: "a\nb")])
    }

    @Test func finish_dispatchesACompleteLastEvent_andDropsAPartialLine() {
        var parser = SSEParser()
        #expect(parser.feed(Array("data: [DONE]\n".utf8)).isEmpty)
        #expect(parser.finish() == [SSEEvent(data: "[DONE]")])
        var partial = SSEParser()
        #expect(partial.feed(Array("data: {\"trunc".utf8)).isEmpty)
        #expect(partial.finish().isEmpty)
    }

    @Test func parse_ignoresCommentsAndUnknownFields_andEventsWithoutData() {
        var parser = SSEParser()
        let events = parser.feed(Array(": keep-alive\n\nretry: 10\nfoo: bar\n\nevent: ping\n\n".utf8))
        #expect(events.isEmpty)
    }

    @Test func parse_keepsABOMLikePrefixThatIsNotABOM() {
        var parser = SSEParser()
        let events = parser.feed([0xEF] + Array("data: x\n\n".utf8))
        #expect(events.isEmpty)  // the line starts with a stray byte: field name "\u{FFFD}data", ignored
        #expect(parser.feed(Array("data: y\n\n".utf8)) == [SSEEvent(data: "y")])
    }
}
