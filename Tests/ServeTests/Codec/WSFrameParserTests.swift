import Testing

@testable import Serve

@Suite struct WSFrameParserTests {
    /// RFC 6455 §5.7: a single-frame masked text message "Hello".
    static let maskedHello: [UInt8] = [0x81, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58]

    /// Several valid frames back to back: 7-bit, fragmented with an interleaved ping, 16-bit and 64-bit lengths.
    static let stream: [UInt8] =
        maskedHello
        + ClientFrame.text("Hel", fin: false)
        + ClientFrame.make(opcode: 0x9, payload: Array("Hello".utf8))
        + ClientFrame.make(fin: true, opcode: 0x0, payload: Array("lo".utf8))
        + ClientFrame.make(opcode: 0x2, payload: Array(repeating: 0xAB, count: 256))
        + ClientFrame.make(opcode: 0x2, payload: (0..<70_000).map { UInt8(truncatingIfNeeded: $0) })
        + ClientFrame.make(opcode: 0x1, payload: [])
        + ClientFrame.close(code: 1000)

    @Test func parse_rfcMaskedHello_unmasks() throws {
        var parser = WSFrameParser()
        var bytes = Self.maskedHello[...]
        let frame = try #require(try parser.parse(&bytes))
        #expect(frame == WSFrame(opcode: .text, payload: Array("Hello".utf8)))
        #expect(bytes.isEmpty)
    }

    @Test func parse_leavesFollowingBytes() throws {
        var parser = WSFrameParser()
        var bytes = (Self.maskedHello + [0x81, 0x85])[...]
        _ = try #require(try parser.parse(&bytes))
        #expect(Array(bytes) == [0x81, 0x85])
        #expect(try parser.parse(&bytes) == nil)
        #expect(bytes.isEmpty)
    }

    @Test(arguments: Array(1...17) + [64, 1000, 65_536, 1 << 20])
    func parse_validStream_inEveryChunking(chunkSize: Int) {
        var harness = WSHarness()
        harness.feed(Self.stream, chunkSize: chunkSize)
        #expect(harness.parserError == nil)
        #expect(
            harness.delivered == [
                .text("Hello"), .text("Hello"), .binary(Array(repeating: 0xAB, count: 256)),
                .binary((0..<70_000).map { UInt8(truncatingIfNeeded: $0) }), .text(""),
            ])
        #expect(harness.wire == [0x8A, 0x05] + Array("Hello".utf8) + CloseBytes.normal)
        #expect(harness.didCloseConnection)
    }

    @Test func parse_nonMinimalLengths_areProtocolErrors() {
        let short16 = ClientFrame.make(opcode: 0x2, payload: [1, 2, 3], lengthBytes: 2)
        let short64 = ClientFrame.make(opcode: 0x2, payload: Array(repeating: 0, count: 300), lengthBytes: 8)
        for bytes in [short16, short64] {
            let harness = run(bytes)
            #expect(harness.wire == CloseBytes.protocolError)
            #expect(harness.didCloseConnection)
        }
    }

    @Test func parse_zeroLengthFrame_needsNoPayload() throws {
        var parser = WSFrameParser()
        var bytes: ArraySlice<UInt8> = [0x82, 0x80, 1, 2, 3, 4]
        #expect(try parser.parse(&bytes) == WSFrame(opcode: .binary, payload: []))
    }

    @Test func roundTrip_serverEncodingRemaskedByClient() throws {
        for size in [0, 1, 125, 126, 65_535, 65_536, 100_000] {
            let payload = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 7) }
            let frame = WSFrame(fin: size % 2 == 0, opcode: .binary, payload: payload)
            var encoded = WSFrameEncoder.encode(frame)
            // Turn the server frame into a client frame: set MASK, insert a key, mask the payload.
            let header = encoded.count - size
            encoded[1] |= 0x80
            let key: [UInt8] = [0xDE, 0xAD, 0xBE, 0xEF]
            let masked = encoded[..<header] + key + payload.enumerated().map { $1 ^ key[$0 % 4] }
            var parser = WSFrameParser()
            var bytes = masked[...]
            #expect(try parser.parse(&bytes) == frame)
        }
    }
}
