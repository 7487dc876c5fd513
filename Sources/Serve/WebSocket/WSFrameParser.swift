// Base framing protocol, RFC 6455 §5.2:
//
//   0                   1                   2                   3
//   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//  +-+-+-+-+-------+-+-------------+-------------------------------+
//  |F|R|R|R| opcode|M| Payload len |    Extended payload length    |
//  |I|S|S|S|  (4)  |A|     (7)     |             (16/64)           |
//  |N|V|V|V|       |S|             |   (if payload len==126/127)   |
//  | |1|2|3|       |K|             |                               |
//  +-+-+-+-+-------+-+-------------+ - - - - - - - - - - - - - - - +
//  |     Extended payload length continued, if payload len == 127  |
//  + - - - - - - - - - - - - - - - +-------------------------------+
//  |                               |Masking-key, if MASK set to 1  |
//  +-------------------------------+-------------------------------+
//  | Masking-key (continued)       |          Payload Data         |
//  +-------------------------------- - - - - - - - - - - - - - - - +
//  :                     Payload Data continued ...                :
//  + - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - +
//
//  Payload len 0–125 is the length; 126 means a 16-bit length follows, 127 a 64-bit one (MSB 0), both big-endian.
//  Payload byte i is transmitted XOR masking-key[i % 4] (§5.3).

/// Decodes frames sent by a WebSocket *client*, which must mask every frame (RFC 6455 §5.1).
///
/// The parser is incremental and owns a little state between calls: feed it whatever bytes arrived and it consumes
/// them all, returning a frame once one is complete. Every header check, including ``WSLimits/maxFrameSize``, runs
/// as soon as the header bytes it depends on have arrived, so a hostile length is rejected before any payload is
/// buffered. The parser only checks single frames; message-level rules (continuations, UTF-8, close payloads)
/// belong to ``WSConnectionState``.
///
/// ```swift
/// var input = received[...]
/// while let frame = try parser.parse(&input) { actions += state.received(frame) }
/// ```
public struct WSFrameParser: Sendable {
    /// What the parser is waiting for.
    private enum State: Sendable {
        /// Header bytes, collected in ``header`` until the header is complete.
        case header
        /// Payload bytes of a frame whose header has been validated.
        case payload(Header, remaining: Int)
    }

    /// A validated frame header.
    private struct Header: Sendable {
        var fin: Bool
        var opcode: WSOpcode
        var mask: [UInt8]
        var length: Int
    }

    /// The limits checked against each frame header.
    public let limits: WSLimits
    private var state: State = .header
    /// Header bytes seen so far (at most 14).
    private var header: [UInt8] = []
    /// Payload bytes of the current frame, unmasked as they arrive.
    private var payload: [UInt8] = []

    /// Creates a parser for client frames.
    public init(limits: WSLimits = WSLimits()) {
        self.limits = limits
        header.reserveCapacity(14)
    }

    /// Consumes bytes from the front of `bytes` and returns the next complete frame, if any.
    ///
    /// Bytes belonging to the next frame are left in `bytes`; call again in a loop until it returns `nil`. When it
    /// returns `nil`, `bytes` is empty: everything was consumed into the parser's internal state.
    /// - Parameter bytes: The input; on return, the bytes not yet consumed.
    /// - Returns: The unmasked frame, or `nil` if more bytes are needed.
    /// - Throws: ``WSProtocolError`` for a malformed or oversized frame. The connection is then unusable.
    public mutating func parse(_ bytes: inout ArraySlice<UInt8>) throws(WSProtocolError) -> WSFrame? {
        if case .header = state {
            guard let parsed = try parseHeader(&bytes) else { return nil }
            header.removeAll(keepingCapacity: true)
            payload = []
            // Grow with the bytes actually received: a declared length alone must not allocate up to the limit.
            payload.reserveCapacity(min(parsed.length, 1 << 16))
            state = .payload(parsed, remaining: parsed.length)
        }
        guard case .payload(let frameHeader, let remaining) = state else { return nil }
        let count = min(remaining, bytes.count)
        let offset = frameHeader.length - remaining
        let mask = frameHeader.mask
        var index = bytes.startIndex
        for position in offset..<(offset + count) {
            payload.append(bytes[index] ^ mask[position & 3])  // §5.3
            index += 1
        }
        bytes = bytes[index...]
        guard count == remaining else {
            state = .payload(frameHeader, remaining: remaining - count)
            return nil
        }
        state = .header
        let frame = WSFrame(fin: frameHeader.fin, opcode: frameHeader.opcode, payload: payload)
        payload = []
        return frame
    }

    /// Moves header bytes from `bytes` into ``header``, validating each field as soon as it is available.
    private mutating func parseHeader(_ bytes: inout ArraySlice<UInt8>) throws(WSProtocolError) -> Header? {
        while true {
            if header.count >= 2 {
                let needed = 2 + Self.extendedLengthSize(header[1]) + 4
                if header.count == needed { return try finishHeader() }
            }
            guard let byte = bytes.popFirst() else { return nil }
            header.append(byte)
            switch header.count {
            case 1: try Self.checkFirstByte(byte)
            case 2: try Self.checkSecondByte(byte, first: header[0])
            default: break
            }
            // Reject a hostile length as soon as its last byte arrives, before the masking key.
            if header.count >= 2, header.count == 2 + Self.extendedLengthSize(header[1]) { _ = try declaredLength() }
        }
    }

    /// Checks FIN, RSV and opcode (§5.2, §5.5).
    private static func checkFirstByte(_ byte: UInt8) throws(WSProtocolError) {
        // §5.2: RSV1-3 MUST be 0 unless an extension defining them was negotiated; raaid negotiates none.
        guard byte & 0x70 == 0 else { throw .protocolError("reserved bits set") }
        let opcode = WSOpcode(rawValue: byte & 0x0F)
        // §5.2: opcodes 0x3-0x7 and 0xB-0xF are reserved.
        guard opcode.isDefined else { throw .protocolError("\(opcode)") }
        // §5.4, §5.5: control frames MUST NOT be fragmented.
        guard byte & 0x80 != 0 || !opcode.isControl else { throw .protocolError("fragmented \(opcode) frame") }
    }

    /// Checks the MASK bit and the 7-bit length of control frames (§5.1, §5.5).
    private static func checkSecondByte(_ byte: UInt8, first: UInt8) throws(WSProtocolError) {
        // §5.1: a server MUST close the connection upon receiving a frame that is not masked.
        guard byte & 0x80 != 0 else { throw .protocolError("unmasked client frame") }
        // §5.5: all control frames MUST have a payload length of 125 bytes or less.
        let opcode = WSOpcode(rawValue: first & 0x0F)
        guard !opcode.isControl || byte & 0x7F <= 125 else {
            throw .protocolError("\(opcode) frame longer than 125 bytes")
        }
    }

    /// The number of extended-length bytes announced by the second header byte.
    private static func extendedLengthSize(_ second: UInt8) -> Int {
        switch second & 0x7F {
        case 126: 2
        case 127: 8
        default: 0
        }
    }

    /// Decodes and checks the payload length once all its bytes are in ``header`` (§5.2).
    private func declaredLength() throws(WSProtocolError) -> Int {
        let short = Int(header[1] & 0x7F)
        let length: UInt64
        switch short {
        case 126:
            length = UInt64(header[2]) << 8 | UInt64(header[3])
            // §5.2: "the minimal number of bytes MUST be used to encode the length".
            guard length >= 126 else { throw .protocolError("non-minimal 16-bit payload length \(length)") }
        case 127:
            length = header[2..<10].reduce(0) { $0 << 8 | UInt64($1) }
            // §5.2: "the most significant bit MUST be 0".
            guard length >> 63 == 0 else { throw .protocolError("64-bit payload length with the high bit set") }
            guard length > 0xFFFF else { throw .protocolError("non-minimal 64-bit payload length \(length)") }
        default:
            length = UInt64(short)
        }
        guard length <= UInt64(limits.maxFrameSize) else {
            throw .tooBig("frame", size: length <= UInt64(Int.max) ? Int(length) : Int.max, limit: limits.maxFrameSize)
        }
        return Int(length)
    }

    /// Builds the header once every byte, masking key included, has arrived.
    private func finishHeader() throws(WSProtocolError) -> Header {
        let length = try declaredLength()
        let key = header.count - 4
        return Header(
            fin: header[0] & 0x80 != 0,
            opcode: WSOpcode(rawValue: header[0] & 0x0F),
            mask: Array(header[key...]),
            length: length)
    }
}
