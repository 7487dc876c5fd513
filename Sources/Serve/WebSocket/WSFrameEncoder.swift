// Server-to-client framing, RFC 6455 §5.2 (never masked, §5.1):
//
//   byte 0          byte 1          bytes 2…
//  +-+-+-+-+-------+-+-------------+-----------------------------+--------------+
//  |F|0|0|0| opcode|0| len 0–125   |                             | payload      |
//  |I| | | |       | | 126         | 16-bit length, big-endian   | payload      |
//  |N| | | |       | | 127         | 64-bit length, big-endian   | payload      |
//  +-+-+-+-+-------+-+-------------+-----------------------------+--------------+
//
//  Header sizes: 2 bytes (payload ≤ 125), 4 bytes (≤ 65 535), 10 bytes (larger).

/// Encodes frames sent by the server: unmasked, RSV bits clear, minimal length encoding.
public enum WSFrameEncoder {
    /// Encodes `frame` for the wire.
    ///
    /// - Parameter frame: The frame; control frames should carry at most 125 bytes (§5.5).
    /// - Returns: The header followed by the payload.
    public static func encode(_ frame: WSFrame) -> [UInt8] {
        let length = frame.payload.count
        var bytes: [UInt8] = []
        bytes.reserveCapacity(10 + length)
        bytes.append((frame.fin ? 0x80 : 0x00) | (frame.opcode.rawValue & 0x0F))
        switch length {
        case 0...125:
            bytes.append(UInt8(length))
        case 126...0xFFFF:
            bytes.append(126)
            bytes.append(UInt8(length >> 8))
            bytes.append(UInt8(length & 0xFF))
        default:
            bytes.append(127)
            let wide = UInt64(length)
            for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: wide >> shift)) }
        }
        bytes.append(contentsOf: frame.payload)
        return bytes
    }

    /// A close frame carrying `code` and `reason` (§5.5.1).
    ///
    /// The reason is truncated, on a character boundary, to the 123 bytes that fit in a control frame. The
    /// ``WSCloseCode/noStatusReceived`` code (1005) must not be sent, so it produces an empty close payload.
    public static func closeFrame(_ code: WSCloseCode, reason: String = "") -> WSFrame {
        guard code != .noStatusReceived else { return WSFrame(opcode: .close, payload: []) }
        var payload: [UInt8] = [UInt8(code.rawValue >> 8), UInt8(code.rawValue & 0xFF)]
        var reasonBytes = 0
        for character in reason {
            let utf8 = character.utf8
            guard reasonBytes + utf8.count <= 123 else { break }
            payload.append(contentsOf: utf8)
            reasonBytes += utf8.count
        }
        return WSFrame(opcode: .close, payload: payload)
    }
}
