/// The request line and header fields of an HTTP/1.1 request (RFC 9112 §3, §5).
public struct HTTPRequestHead: Sendable, Equatable {
    /// The method, such as `GET`. Case-sensitive (RFC 9110 §9.1).
    public var method: String
    /// The request target as sent, usually origin-form: `/path?query`.
    public var target: String
    /// The protocol version, such as `HTTP/1.1`.
    public var version: String
    /// The header fields in the order received, names as sent, values without surrounding whitespace.
    public var headers: [(name: String, value: String)]

    /// Creates a request head.
    public init(
        method: String, target: String, version: String = "HTTP/1.1", headers: [(name: String, value: String)] = []
    ) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
    }

    /// The value of the first header field called `name`, compared case-insensitively.
    public func header(_ name: String) -> String? {
        let name = name.lowercased()
        return headers.first { $0.name.lowercased() == name }?.value
    }

    /// The values of every header field called `name`, compared case-insensitively, in order.
    public func headers(named name: String) -> [String] {
        let name = name.lowercased()
        return headers.filter { $0.name.lowercased() == name }.map(\.value)
    }

    /// The target without its query (and fragment): `/ws` for `/ws?token=abc`.
    public var path: String {
        String(target.prefix { $0 != "?" && $0 != "#" })
    }

    /// The query parameters, percent-decoded; the first occurrence of a name wins.
    ///
    /// `+` is kept as is (not turned into a space), as `URLComponents.queryItems` does, so base64 tokens survive.
    /// A parameter without `=` maps to the empty string; malformed percent-escapes are left undecoded.
    public var queryItems: [String: String] {
        guard let question = target.firstIndex(of: "?") else { return [:] }
        let query = target[target.index(after: question)...].prefix { $0 != "#" }
        var items: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.percentDecoded(parts[0])
            guard items[name] == nil else { continue }
            items[name] = parts.count > 1 ? Self.percentDecoded(parts[1]) : ""
        }
        return items
    }

    public static func == (lhs: HTTPRequestHead, rhs: HTTPRequestHead) -> Bool {
        lhs.method == rhs.method && lhs.target == rhs.target && lhs.version == rhs.version
            && lhs.headers.count == rhs.headers.count
            && zip(lhs.headers, rhs.headers).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }

    /// Decodes `%XX` escapes; returns the input unchanged if an escape is malformed or the result is not UTF-8.
    static func percentDecoded(_ component: Substring) -> String {
        guard component.contains("%") else { return String(component) }
        let utf8 = Array(component.utf8)
        var bytes: [UInt8] = []
        var index = 0
        while index < utf8.count {
            if utf8[index] == UInt8(ascii: "%") {
                guard index + 2 < utf8.count, let high = hexValue(utf8[index + 1]), let low = hexValue(utf8[index + 2])
                else { return String(component) }
                bytes.append(high << 4 | low)
                index += 3
            } else {
                bytes.append(utf8[index])
                index += 1
            }
        }
        return String(validating: bytes, as: UTF8.self) ?? String(component)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
