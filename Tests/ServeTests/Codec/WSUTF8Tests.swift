import Testing

@testable import Serve

@Suite struct WSUTF8Tests {
    @Test(
        arguments: [
            [0x80], [0xBF], [0xC0, 0x80], [0xC1, 0xBF], [0xE0, 0x80, 0x80], [0xE0, 0x9F, 0xBF], [0xED, 0xA0, 0x80],
            [0xED, 0xBF, 0xBF], [0xF0, 0x80, 0x80, 0x80], [0xF0, 0x8F, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80],
            [0xF5, 0x80, 0x80, 0x80], [0xFE], [0xFF], [0xC2, 0x41], [0xE2, 0x82], [0xF0, 0x9F, 0x98],
            [
                0xCE, 0xBA, 0xE1, 0xBD, 0xB9, 0xCF, 0x83, 0xCE, 0xBC, 0xCE, 0xB5, 0xED, 0xA0, 0x80, 0x65, 0x64, 0x69,
                0x74, 0x65, 0x64,
            ],
        ] as [[UInt8]])
    func validator_rejects(bytes: [UInt8]) {
        #expect(!UTF8Validator.isValid(bytes))
        #expect(String(validating: bytes, as: UTF8.self) == nil)
    }

    @Test(
        arguments: [
            [], [0x00], [0x7F], [0xC2, 0x80], [0xDF, 0xBF], [0xE0, 0xA0, 0x80], [0xED, 0x9F, 0xBF], [0xEE, 0x80, 0x80],
            [0xEF, 0xBF, 0xBF], [0xF0, 0x90, 0x80, 0x80], [0xF4, 0x8F, 0xBF, 0xBF], Array("κόσμε 😀".utf8),
        ] as [[UInt8]])
    func validator_accepts(bytes: [UInt8]) {
        #expect(UTF8Validator.isValid(bytes))
    }

    @Test func validator_acceptsCharacterSplitAtEveryByte() {
        let bytes = Array("a😀b€".utf8)
        for cut in 0...bytes.count {
            var validator = UTF8Validator()
            let first = validator.consume(bytes[..<cut])
            let second = validator.consume(bytes[cut...])
            #expect(first && second && validator.isComplete)
        }
    }

    @Test func textMessage_invalidUTF8_closes1007() {
        let harness = run(ClientFrame.make(opcode: 0x1, payload: [0x48, 0xC0, 0x80]))
        #expect(harness.wire == CloseBytes.invalidPayload)
        #expect(harness.didCloseConnection)
        #expect(
            harness.state.failure
                == WSProtocolError(closeCode: .invalidFramePayloadData, reason: "invalid UTF-8 in text message"))
    }

    @Test func textMessage_truncatedCharacterAtEnd_closes1007() {
        let harness = run(ClientFrame.make(opcode: 0x1, payload: [0x48, 0xF0, 0x9F, 0x98]))
        #expect(harness.wire == CloseBytes.invalidPayload)
    }

    @Test func fragmentedText_failsFastOnInvalidFirstFragment() {
        // The second fragment never arrives: the first one can never become valid.
        let harness = run(ClientFrame.make(fin: false, opcode: 0x1, payload: [0x48, 0xED, 0xA0]))
        #expect(harness.wire == CloseBytes.invalidPayload)
        #expect(harness.didCloseConnection)
    }

    @Test func fragmentedText_invalidInLaterFragment() {
        let bytes =
            ClientFrame.make(fin: false, opcode: 0x1, payload: Array("Hel".utf8))
            + ClientFrame.make(fin: false, opcode: 0x0, payload: [0xFF])
        let harness = run(bytes)
        #expect(harness.wire == CloseBytes.invalidPayload)
    }

    @Test(arguments: Array(1...8))
    func fragmentedText_validCharacterSplitAcrossFragments(chunkSize: Int) {
        // "€" is E2 82 AC; "😀" is F0 9F 98 80. Both are split between fragments.
        let bytes =
            ClientFrame.make(fin: false, opcode: 0x1, payload: [0x41, 0xE2])
            + ClientFrame.make(fin: false, opcode: 0x0, payload: [0x82])
            + ClientFrame.make(fin: false, opcode: 0x0, payload: [0xAC, 0xF0, 0x9F])
            + ClientFrame.make(fin: true, opcode: 0x0, payload: [0x98, 0x80])
        var harness = WSHarness()
        harness.feed(bytes, chunkSize: chunkSize)
        #expect(harness.delivered == [.text("A€😀")])
        #expect(harness.wire.isEmpty)
    }

    @Test func binaryMessage_isNotValidated() {
        #expect(run(ClientFrame.make(opcode: 0x2, payload: [0xFF, 0xC0])).delivered == [.binary([0xFF, 0xC0])])
    }
}
