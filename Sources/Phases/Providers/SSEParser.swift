/// One Server-Sent Event: its type (`event:`, default `message`), its data (several `data:` lines joined by
/// `\n`) and its last event id.
public struct SSEEvent: Sendable, Equatable {
    /// The `event:` field, or `message` when the event had none.
    public var event: String
    /// The `data:` lines joined by `\n`.
    public var data: String
    /// The last `id:` seen on the stream, if any.
    public var id: String?

    /// Creates an event.
    public init(event: String = "message", data: String, id: String? = nil) {
        self.event = event
        self.data = data
        self.id = id
    }
}

/// An incremental Server-Sent Events parser (the WHATWG "event stream" grammar).
///
/// ```
/// stream  = [ BOM ] *event
/// event   = *( comment / field ) end-of-line
/// comment = ":" *any end-of-line
/// field   = name [ ":" [ " " ] value ] end-of-line
/// end-of-line = CRLF / LF / CR
/// ```
///
/// Feed bytes in any chunking; a line (and a multi-byte UTF-8 character) may be split anywhere, including
/// between the CR and LF of a CRLF. An event is dispatched at the blank line that ends it. Unknown fields and
/// `retry:` are ignored. ``finish()`` is lenient where the spec is strict: a final event whose field lines
/// were complete but that lacked the closing blank line is still dispatched; a partial last line is dropped.
public struct SSEParser: Sendable {
    private var line: [UInt8] = []
    private var lastWasCR = false
    private var isAtStart = true
    private var bomBytesSeen = 0
    private var eventType = ""
    private var data: [UInt8] = []
    private var hasData = false
    private var lastEventID: String?

    /// Creates a parser at the start of a stream.
    public init() {}

    /// Consumes `bytes` and returns the events they complete, in order.
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [SSEEvent] {
        var events: [SSEEvent] = []
        for byte in bytes {
            if isAtStart {
                // A UTF-8 BOM (EF BB BF) at the very beginning is skipped, even when split across chunks.
                let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
                if byte == bom[bomBytesSeen] {
                    bomBytesSeen += 1
                    if bomBytesSeen == bom.count { isAtStart = false }
                    continue
                }
                isAtStart = false
                if bomBytesSeen > 0 { line.append(contentsOf: bom[0..<bomBytesSeen]) }
            }
            switch byte {
            case 0x0A:
                if lastWasCR {
                    lastWasCR = false
                    continue
                }
                endLine(into: &events)
            case 0x0D:
                lastWasCR = true
                endLine(into: &events)
            default:
                lastWasCR = false
                line.append(byte)
            }
        }
        return events
    }

    /// Ends the stream: returns a final event that lacked its closing blank line, if any.
    public mutating func finish() -> [SSEEvent] {
        line.removeAll()
        var events: [SSEEvent] = []
        dispatch(into: &events)
        return events
    }

    private mutating func endLine(into events: inout [SSEEvent]) {
        defer { line.removeAll(keepingCapacity: true) }
        if line.isEmpty {
            dispatch(into: &events)
            return
        }
        if line[0] == UInt8(ascii: ":") { return }
        let name: ArraySlice<UInt8>
        var value: ArraySlice<UInt8>
        if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
            name = line[..<colon]
            value = line[(colon + 1)...]
            if value.first == UInt8(ascii: " ") { value = value.dropFirst() }
        } else {
            name = line[...]
            value = []
        }
        switch String(decoding: name, as: UTF8.self) {
        case "event": eventType = String(decoding: value, as: UTF8.self)
        case "data":
            data.append(contentsOf: value)
            data.append(0x0A)
            hasData = true
        case "id":
            if !value.contains(0) { lastEventID = String(decoding: value, as: UTF8.self) }
        default: break
        }
    }

    private mutating func dispatch(into events: inout [SSEEvent]) {
        defer {
            eventType = ""
            data.removeAll(keepingCapacity: true)
            hasData = false
        }
        guard hasData else { return }
        if data.last == 0x0A { data.removeLast() }
        events.append(
            SSEEvent(
                event: eventType.isEmpty ? "message" : eventType, data: String(decoding: data, as: UTF8.self),
                id: lastEventID))
    }
}
