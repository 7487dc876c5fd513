import Testing

@testable import Serve

@Suite struct WSFrameEncoderTests {
    @Test func preparedText_isTheSameFrameAsASingleSend_andKnowsEvents() {
        let event = #"{"v":1,"seq":3,"type":"progress"}"#
        let prepared = PreparedText(event)
        #expect(prepared.frame == WSFrameEncoder.encode(.text(event)))
        #expect(prepared.frame.prefix(2) == [0x81, UInt8(event.utf8.count)])
        #expect(prepared.isEvent)
        #expect(!PreparedText(#"{"type":"ack"}"#).isEvent)
    }

    @Test func encode_rfcUnmaskedHello() {
        #expect(WSFrameEncoder.encode(.text("Hello")) == [0x81, 0x05, 0x48, 0x65, 0x6C, 0x6C, 0x6F])
    }

    @Test func encode_rfcFragmentedHello() {
        let first = WSFrame(fin: false, opcode: .text, payload: Array("Hel".utf8))
        let last = WSFrame(fin: true, opcode: .continuation, payload: Array("lo".utf8))
        #expect(WSFrameEncoder.encode(first) == [0x01, 0x03, 0x48, 0x65, 0x6C])
        #expect(WSFrameEncoder.encode(last) == [0x80, 0x02, 0x6C, 0x6F])
    }

    @Test func encode_rfcPing() {
        #expect(
            WSFrameEncoder.encode(WSFrame(opcode: .ping, payload: Array("Hello".utf8))) == [0x89, 0x05]
                + Array("Hello".utf8))
    }

    @Test(arguments: [
        (0, [0x82, 0x00] as [UInt8]),
        (125, [0x82, 0x7D]),
        (126, [0x82, 0x7E, 0x00, 0x7E]),
        (256, [0x82, 0x7E, 0x01, 0x00]),
        (65_535, [0x82, 0x7E, 0xFF, 0xFF]),
        (65_536, [0x82, 0x7F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00]),
        (100_000, [0x82, 0x7F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x86, 0xA0]),
    ])
    func encode_lengthEncodings(size: Int, header: [UInt8]) {
        let payload = (0..<size).map { UInt8(truncatingIfNeeded: $0) }
        let encoded = WSFrameEncoder.encode(.binary(payload))
        #expect(Array(encoded.prefix(header.count)) == header)
        #expect(Array(encoded.dropFirst(header.count)) == payload)
    }

    @Test func closeFrame_codeOnly() {
        #expect(WSFrameEncoder.encode(WSFrameEncoder.closeFrame(.messageTooBig)) == CloseBytes.tooBig)
        #expect(WSFrameEncoder.encode(WSFrameEncoder.closeFrame(.protocolError)) == CloseBytes.protocolError)
    }

    @Test func closeFrame_withReason() {
        #expect(
            WSFrameEncoder.encode(WSFrameEncoder.closeFrame(.goingAway, reason: "bye")) == [
                0x88, 0x05, 0x03, 0xE9, 0x62, 0x79, 0x65,
            ])
    }

    @Test func closeFrame_noStatusReceived_isEmpty() {
        #expect(WSFrameEncoder.encode(WSFrameEncoder.closeFrame(.noStatusReceived, reason: "x")) == [0x88, 0x00])
    }

    @Test func closeFrame_truncatesReasonOnCharacterBoundary() {
        // 61 two-byte characters = 122 bytes; one more would exceed the 123 bytes left after the code.
        let frame = WSFrameEncoder.closeFrame(.normalClosure, reason: String(repeating: "é", count: 70))
        #expect(frame.payload.count == 2 + 122)
        #expect(String(validating: frame.payload.dropFirst(2), as: UTF8.self) == String(repeating: "é", count: 61))
        let ascii = WSFrameEncoder.closeFrame(.normalClosure, reason: String(repeating: "a", count: 200))
        #expect(ascii.payload.count == 125)
    }
}
