@testable import Serve

/// Builds frames as a client would send them: masked, with optional protocol violations.
enum ClientFrame {
    /// The masking key of the RFC 6455 §5.7 examples.
    static let rfcMask: [UInt8] = [0x37, 0xFA, 0x21, 0x3D]

    /// Encodes a client frame; `lengthBytes` forces a (possibly non-minimal) 16- or 64-bit length.
    static func make(
        fin: Bool = true, rsv: UInt8 = 0, opcode: UInt8, payload: [UInt8], masked: Bool = true,
        mask: [UInt8] = rfcMask, lengthBytes: Int? = nil
    ) -> [UInt8] {
        var bytes: [UInt8] = [(fin ? 0x80 : 0) | rsv << 4 | opcode]
        let maskBit: UInt8 = masked ? 0x80 : 0
        let count = payload.count
        switch lengthBytes ?? (count <= 125 ? 0 : count <= 0xFFFF ? 2 : 8) {
        case 0: bytes.append(maskBit | UInt8(count))
        case 2: bytes += [maskBit | 126, UInt8(count >> 8), UInt8(count & 0xFF)]
        default:
            bytes.append(maskBit | 127)
            for shift in stride(from: 56, through: 0, by: -8) {
                bytes.append(UInt8(truncatingIfNeeded: count >> shift))
            }
        }
        guard masked else { return bytes + payload }
        bytes += mask
        for (index, byte) in payload.enumerated() { bytes.append(byte ^ mask[index % 4]) }
        return bytes
    }

    static func text(_ string: String, fin: Bool = true) -> [UInt8] {
        make(fin: fin, opcode: 0x1, payload: Array(string.utf8))
    }

    static func close(code: UInt16, reason: [UInt8] = []) -> [UInt8] {
        make(opcode: 0x8, payload: [UInt8(code >> 8), UInt8(code & 0xFF)] + reason)
    }
}

/// The exact close frames the server sends.
enum CloseBytes {
    static let normal: [UInt8] = [0x88, 0x02, 0x03, 0xE8]  // 1000
    static let goingAway: [UInt8] = [0x88, 0x02, 0x03, 0xE9]  // 1001
    static let protocolError: [UInt8] = [0x88, 0x02, 0x03, 0xEA]  // 1002
    static let invalidPayload: [UInt8] = [0x88, 0x02, 0x03, 0xEF]  // 1007
    static let tooBig: [UInt8] = [0x88, 0x02, 0x03, 0xF1]  // 1009
}

/// A parser and connection state driven like the async connection drives them, without I/O.
struct WSHarness {
    var parser: WSFrameParser
    var state: WSConnectionState
    /// Every action taken so far.
    var actions: [WSAction] = []
    /// The last error thrown by the parser.
    var parserError: WSProtocolError?

    init(limits: WSLimits = WSLimits()) {
        parser = WSFrameParser(limits: limits)
        state = WSConnectionState(limits: limits)
    }

    /// Feeds `bytes` in chunks of `chunkSize`, stopping once the connection is closed.
    mutating func feed(_ bytes: [UInt8], chunkSize: Int = .max) {
        var start = 0
        while start < bytes.count && !state.isClosed {
            let end = min(bytes.count, start + min(chunkSize, bytes.count))
            var slice = bytes[start..<end]
            start = end
            do {
                while !state.isClosed, let frame = try parser.parse(&slice) { actions += state.received(frame) }
            } catch {
                parserError = error
                actions += state.failed(error)
            }
        }
    }

    /// The bytes written to the socket: every sent frame, encoded.
    var wire: [UInt8] {
        actions.flatMap { action -> [UInt8] in
            if case .send(let frame) = action { WSFrameEncoder.encode(frame) } else { [] }
        }
    }

    /// The messages delivered to the application.
    var delivered: [WSMessage] {
        actions.compactMap { action in
            if case .deliver(let message) = action { message } else { nil }
        }
    }

    /// Whether the last action closes the connection.
    var didCloseConnection: Bool { actions.last == .closeConnection }
}

/// Runs `bytes` through a fresh harness in one piece.
func run(_ bytes: [UInt8], limits: WSLimits = WSLimits()) -> WSHarness {
    var harness = WSHarness(limits: limits)
    harness.feed(bytes)
    return harness
}
