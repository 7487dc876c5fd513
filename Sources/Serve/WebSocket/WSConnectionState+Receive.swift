extension WSConnectionState {
    /// Handles a frame while the connection is open; throws on any protocol violation.
    mutating func receivedWhileOpen(_ frame: WSFrame) throws(WSProtocolError) -> [WSAction] {
        switch frame.opcode {
        case .ping:
            // §5.5.2: answer with a pong carrying the same application data.
            return [.send(WSFrame(opcode: .pong, payload: frame.payload))]
        case .pong:
            // §5.5.3: an unsolicited pong needs no response.
            if frame.payload == unansweredPing { unansweredPing = nil }
            return []
        case .close:
            return try receivedClose(frame.payload)
        case .text, .binary:
            // §5.4: a new data frame may not interleave with an unfinished fragmented message.
            guard assembly == nil else { throw .protocolError("new \(frame.opcode) frame during a fragmented message") }
            assembly = Assembly(isText: frame.opcode == .text, bytes: [], fragments: 0, utf8: UTF8Validator())
            return try appendFragment(frame)
        case .continuation:
            // §5.4: a continuation frame must follow a first frame with FIN clear.
            guard assembly != nil else { throw .protocolError("continuation frame without a message to continue") }
            return try appendFragment(frame)
        default:
            throw .protocolError("\(frame.opcode)")
        }
    }

    /// Adds a data frame to the message being assembled and delivers the message when FIN is set.
    private mutating func appendFragment(_ frame: WSFrame) throws(WSProtocolError) -> [WSAction] {
        guard var message = assembly else { return [] }
        assembly = nil  // avoid a copy while appending
        message.fragments += 1
        guard message.fragments <= limits.maxFragments else {
            throw WSProtocolError(
                closeCode: .messageTooBig, reason: "message of more than \(limits.maxFragments) fragments")
        }
        let size = message.bytes.count + frame.payload.count
        guard size <= limits.maxMessageSize else { throw .tooBig("message", size: size, limit: limits.maxMessageSize) }
        // §8.1: fail fast on bytes that can never become valid UTF-8.
        if message.isText, !message.utf8.consume(frame.payload) { throw .invalidUTF8(in: "text message") }
        if message.bytes.isEmpty && frame.fin {
            message.bytes = frame.payload
        } else {
            message.bytes.append(contentsOf: frame.payload)
        }
        guard frame.fin else {
            assembly = message
            return []
        }
        guard message.isText else { return [.deliver(.binary(message.bytes))] }
        guard message.utf8.isComplete else { throw .invalidUTF8(in: "text message") }
        return [.deliver(.text(String(decoding: message.bytes, as: UTF8.self)))]
    }

    /// Validates the peer's close frame and echoes it (§5.5.1, §7.1.5, §7.4).
    private mutating func receivedClose(_ payload: [UInt8]) throws(WSProtocolError) -> [WSAction] {
        // §5.5.1: a body, if present, starts with a 2-byte status code.
        guard payload.count != 1 else { throw .protocolError("close payload of 1 byte") }
        if payload.count >= 2 {
            let code = UInt16(payload[0]) << 8 | UInt16(payload[1])
            // §7.4.1, §7.4.2: 1004-1006, 1015 and unassigned codes must not appear on the wire.
            guard WSCloseCode.isValidOnWire(code) else { throw .protocolError("invalid close code \(code)") }
            // §5.5.1: the reason is UTF-8.
            guard UTF8Validator.isValid(payload.dropFirst(2)) else { throw .invalidUTF8(in: "close reason") }
        }
        let code = Self.statusCode(in: payload)
        peerCloseCode = code
        phase = .closed
        assembly = nil
        // §5.5.1: echo the status code once, then (as the server, §7.1.1) close the TCP connection first.
        return [.send(WSFrameEncoder.closeFrame(code)), .closeConnection]
    }

    /// The status code of a close payload, or 1005 when it carries none.
    static func statusCode(in payload: [UInt8]) -> WSCloseCode {
        guard payload.count >= 2 else { return .noStatusReceived }
        return WSCloseCode(rawValue: UInt16(payload[0]) << 8 | UInt16(payload[1]))
    }
}
