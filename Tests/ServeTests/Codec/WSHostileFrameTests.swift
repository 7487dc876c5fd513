import Testing

@testable import Serve

/// Protocol violations by a client; every test asserts the exact close frame written before the socket closes.
@Suite struct WSHostileFrameTests {
    private func expectFailure(
        _ bytes: [UInt8], closeBytes: [UInt8], limits: WSLimits = WSLimits(), reason: String? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let harness = run(bytes, limits: limits)
        #expect(harness.wire == closeBytes, sourceLocation: sourceLocation)
        #expect(harness.actions.last == .closeConnection, sourceLocation: sourceLocation)
        #expect(harness.delivered.isEmpty, sourceLocation: sourceLocation)
        #expect(harness.state.isClosed, sourceLocation: sourceLocation)
        if let reason { #expect(harness.state.failure?.reason == reason, sourceLocation: sourceLocation) }
    }

    @Test func unmaskedClientFrame() {
        expectFailure(
            ClientFrame.make(opcode: 0x1, payload: Array("Hello".utf8), masked: false),
            closeBytes: CloseBytes.protocolError, reason: "unmasked client frame")
    }

    @Test(arguments: [1, 2, 4, 7] as [UInt8])
    func reservedBitsSet(rsv: UInt8) {
        expectFailure(
            ClientFrame.make(rsv: rsv, opcode: 0x1, payload: Array("Hello".utf8)), closeBytes: CloseBytes.protocolError,
            reason: "reserved bits set")
    }

    @Test(arguments: [0x3, 0x4, 0x5, 0x6, 0x7, 0xB, 0xC, 0xD, 0xE, 0xF] as [UInt8])
    func reservedOpcode(opcode: UInt8) {
        expectFailure(ClientFrame.make(opcode: opcode, payload: []), closeBytes: CloseBytes.protocolError)
    }

    @Test(arguments: [0x8, 0x9, 0xA] as [UInt8])
    func fragmentedControlFrame(opcode: UInt8) {
        expectFailure(ClientFrame.make(fin: false, opcode: opcode, payload: []), closeBytes: CloseBytes.protocolError)
    }

    @Test func pingOf126Bytes_rejectedFromHeader() {
        let ping = ClientFrame.make(opcode: 0x9, payload: Array(repeating: 0x41, count: 126))
        expectFailure(
            Array(ping.prefix(2)), closeBytes: CloseBytes.protocolError, reason: "ping frame longer than 125 bytes")
    }

    @Test func pingOf125Bytes_answered() {
        let payload = Array(repeating: UInt8(0x41), count: 125)
        let harness = run(ClientFrame.make(opcode: 0x9, payload: payload))
        #expect(harness.wire == [0x8A, 0x7D] + payload)
    }

    @Test func lengthWithHighBitSet() {
        // 0x7F followed by 0x80 00 00 00 00 00 00 01.
        expectFailure(
            [0x82, 0xFF, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01], closeBytes: CloseBytes.protocolError,
            reason: "64-bit payload length with the high bit set")
    }

    @Test func overlong64BitLength_rejectedBeforeMaskAndPayload() {
        // Int64.max bytes announced; only the 10 header bytes are sent.
        expectFailure(
            [0x82, 0xFF, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], closeBytes: CloseBytes.tooBig,
            reason: "frame of \(Int.max) bytes exceeds 1048576")
    }

    @Test func frameOverMaxFrameSize_rejectedFromHeaderAlone() {
        // 2 000 000 bytes announced with a 64-bit length.
        let header: [UInt8] = [0x82, 0xFF, 0, 0, 0, 0, 0x00, 0x1E, 0x84, 0x80]
        expectFailure(header, closeBytes: CloseBytes.tooBig, reason: "frame of 2000000 bytes exceeds 1048576")
        // 16-bit length against a small limit.
        expectFailure(
            [0x82, 0xFE, 0x01, 0x00], closeBytes: CloseBytes.tooBig, limits: WSLimits(maxFrameSize: 200),
            reason: "frame of 256 bytes exceeds 200")
        // 7-bit length.
        expectFailure([0x82, 0xFD], closeBytes: CloseBytes.tooBig, limits: WSLimits(maxFrameSize: 100))
    }

    @Test func frameAtMaxFrameSize_accepted() {
        let harness = run(
            ClientFrame.make(opcode: 0x2, payload: Array(repeating: 7, count: 200)), limits: WSLimits(maxFrameSize: 200)
        )
        #expect(harness.delivered == [.binary(Array(repeating: 7, count: 200))])
    }

    @Test func continuationWithoutStart() {
        expectFailure(
            ClientFrame.make(opcode: 0x0, payload: Array("lo".utf8)), closeBytes: CloseBytes.protocolError,
            reason: "continuation frame without a message to continue")
    }

    @Test(arguments: [0x1, 0x2] as [UInt8])
    func newDataFrameDuringFragmentedMessage(opcode: UInt8) {
        expectFailure(
            ClientFrame.text("Hel", fin: false) + ClientFrame.make(opcode: opcode, payload: [0x61]),
            closeBytes: CloseBytes.protocolError)
    }

    @Test func framesAfterAnErrorAreNotProcessed() {
        let harness = run(ClientFrame.make(opcode: 0x3, payload: []) + ClientFrame.text("Hello"))
        #expect(harness.wire == CloseBytes.protocolError)
        #expect(harness.delivered.isEmpty)
    }

    @Test func messageOverMaxMessageSize() {
        let limits = WSLimits(maxFrameSize: 100, maxMessageSize: 150)
        let bytes =
            ClientFrame.make(fin: false, opcode: 0x2, payload: Array(repeating: 1, count: 100))
            + ClientFrame.make(fin: true, opcode: 0x0, payload: Array(repeating: 1, count: 60))
        expectFailure(bytes, closeBytes: CloseBytes.tooBig, limits: limits, reason: "message of 160 bytes exceeds 150")
    }

    @Test func singleFrameOverMaxMessageSize() {
        let limits = WSLimits(maxFrameSize: 100, maxMessageSize: 50)
        expectFailure(
            ClientFrame.make(opcode: 0x2, payload: Array(repeating: 1, count: 51)), closeBytes: CloseBytes.tooBig,
            limits: limits)
    }

    @Test func tooManyFragments() {
        let limits = WSLimits(maxFragments: 3)
        let fragments =
            ClientFrame.make(fin: false, opcode: 0x2, payload: [1])
            + ClientFrame.make(fin: false, opcode: 0x0, payload: [2])
            + ClientFrame.make(fin: false, opcode: 0x0, payload: [3])
            + ClientFrame.make(fin: true, opcode: 0x0, payload: [4])
        expectFailure(
            fragments, closeBytes: CloseBytes.tooBig, limits: limits, reason: "message of more than 3 fragments")
        let three = Array(fragments.prefix(7 * 2)) + ClientFrame.make(fin: true, opcode: 0x0, payload: [3])
        #expect(run(three, limits: limits).delivered == [.binary([1, 2, 3])])
    }
}
