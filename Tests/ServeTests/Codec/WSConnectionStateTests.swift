import Testing

@testable import Serve

@Suite struct WSConnectionStateTests {
    // MARK: Ping and pong

    @Test func ping_answeredWithPongOfSamePayload() {
        let harness = run(ClientFrame.make(opcode: 0x9, payload: Array("Hello".utf8)))
        #expect(harness.wire == [0x8A, 0x05, 0x48, 0x65, 0x6C, 0x6C, 0x6F])
        #expect(!harness.state.isClosed)
    }

    @Test func emptyPing_answeredWithEmptyPong() {
        #expect(run(ClientFrame.make(opcode: 0x9, payload: [])).wire == [0x8A, 0x00])
    }

    @Test func unsolicitedPong_isIgnored() {
        // RFC 6455 §5.7: a masked pong "Hello".
        let harness = run([0x8A, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58])
        #expect(harness.actions.isEmpty)
    }

    @Test func sendPing_thenPong_thenPingAgain() {
        var state = WSConnectionState()
        let first = state.sendPing()
        guard case .send(let ping) = first.first else {
            Issue.record("expected a ping, got \(first)")
            return
        }
        #expect(ping.opcode == .ping && first.count == 1)
        #expect(state.received(WSFrame(opcode: .pong, payload: ping.payload)).isEmpty)
        let second = state.sendPing()
        #expect(second.count == 1 && second != first)
    }

    @Test func sendPing_withoutPong_closesGoingAway() {
        var state = WSConnectionState()
        _ = state.sendPing()
        _ = state.received(WSFrame(opcode: .pong, payload: [9, 9]))  // not the ping's payload
        let actions = state.sendPing()
        #expect(actions == [.send(WSFrameEncoder.closeFrame(.goingAway, reason: "ping timeout")), .closeConnection])
        #expect(state.isClosed)
        #expect(state.sendPing().isEmpty)
    }

    // MARK: Peer-initiated close

    @Test(
        arguments: [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999]
            as [UInt16])
    func close_validCode_isEchoedOnce(code: UInt16) {
        var harness = run(ClientFrame.close(code: code, reason: Array("done".utf8)))
        #expect(harness.wire == [0x88, 0x02, UInt8(code >> 8), UInt8(code & 0xFF)])
        #expect(harness.actions.last == .closeConnection)
        #expect(harness.state.isClosed && harness.state.peerCloseCode == WSCloseCode(rawValue: code))
        let count = harness.actions.count
        harness.feed(ClientFrame.close(code: code) + ClientFrame.text("late"))
        #expect(harness.actions.count == count)
    }

    @Test func close_empty_isEchoedEmpty() {
        let harness = run(ClientFrame.make(opcode: 0x8, payload: []))
        #expect(harness.wire == [0x88, 0x00])
        #expect(harness.actions.last == .closeConnection)
        #expect(harness.state.peerCloseCode == .noStatusReceived)
    }

    @Test(arguments: [0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535] as [UInt16])
    func close_invalidCode_closes1002(code: UInt16) {
        let harness = run(ClientFrame.close(code: code))
        #expect(harness.wire == CloseBytes.protocolError)
        #expect(harness.actions.last == .closeConnection)
        #expect(harness.state.failure?.reason == "invalid close code \(code)")
    }

    @Test func close_oneBytePayload_closes1002() {
        let harness = run(ClientFrame.make(opcode: 0x8, payload: [0x03]))
        #expect(harness.wire == CloseBytes.protocolError)
        #expect(harness.actions.last == .closeConnection)
    }

    @Test func close_invalidUTF8Reason_closes1007() {
        let harness = run(ClientFrame.close(code: 1000, reason: [0xCE, 0xBA, 0xED, 0xA0, 0x80]))
        #expect(harness.wire == CloseBytes.invalidPayload)
    }

    @Test func close_duringFragmentedMessage_isEchoed() {
        let harness = run(ClientFrame.text("Hel", fin: false) + ClientFrame.close(code: 1000))
        #expect(harness.wire == CloseBytes.normal)
        #expect(harness.delivered.isEmpty)
    }

    // MARK: Server-initiated close

    @Test func serverClose_sendsOnce_thenWaitsForPeer() {
        var state = WSConnectionState()
        #expect(
            state.close(.goingAway, reason: "bye") == [
                .send(WSFrame(opcode: .close, payload: [0x03, 0xE9, 0x62, 0x79, 0x65]))
            ])
        #expect(state.isClosing && !state.isClosed)
        #expect(state.close(.normalClosure, reason: "").isEmpty)
        #expect(state.sendPing().isEmpty)
        // Data and pings from the peer are ignored while closing.
        #expect(state.received(.text("late")).isEmpty)
        #expect(state.received(WSFrame(opcode: .ping, payload: [1])).isEmpty)
        #expect(state.received(WSFrameEncoder.closeFrame(.goingAway)) == [.closeConnection])
        #expect(state.isClosed && !state.isClosing)
        #expect(state.peerCloseCode == .goingAway)
        #expect(state.received(WSFrameEncoder.closeFrame(.goingAway)).isEmpty)
    }

    @Test func serverClose_parserErrorWhileClosing_justCloses() {
        var state = WSConnectionState()
        _ = state.close(.normalClosure, reason: "")
        #expect(state.failed(.protocolError("x")) == [.closeConnection])
        #expect(state.failed(.protocolError("x")).isEmpty)
    }

    // MARK: Parser errors

    @Test func failed_sendsCloseWithTheErrorCode_once() {
        var state = WSConnectionState()
        let error = WSProtocolError(closeCode: .messageTooBig, reason: "frame of 2000000 bytes exceeds 1048576")
        let actions = state.failed(error)
        #expect(actions == [.send(WSFrameEncoder.closeFrame(.messageTooBig)), .closeConnection])
        #expect(
            actions.first.map { if case .send(let f) = $0 { WSFrameEncoder.encode(f) } else { [] } }
                == CloseBytes.tooBig)
        #expect(state.failure == error)
        #expect(state.failed(error).isEmpty)
        #expect(state.received(.text("x")).isEmpty)
    }

    // MARK: Messages

    @Test func rfcFragmentedText_isReassembled() {
        let harness = run(
            ClientFrame.text("Hel", fin: false) + ClientFrame.make(opcode: 0x0, payload: Array("lo".utf8)))
        #expect(harness.actions == [.deliver(.text("Hello"))])
    }

    @Test func emptyFragments_areAllowed() {
        let bytes =
            ClientFrame.make(fin: false, opcode: 0x2, payload: [])
            + ClientFrame.make(fin: false, opcode: 0x0, payload: [])
            + ClientFrame.make(fin: true, opcode: 0x0, payload: [])
        #expect(run(bytes).delivered == [.binary([])])
    }
}
