extension HTTPHeadParser {
    /// Parses `method SP request-target SP HTTP-version` (RFC 9112 §3).
    static func parseRequestLine(_ line: [UInt8]) throws(HTTPParseError) -> (
        method: String, target: String, version: String
    ) {
        let parts = line.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .badRequest("malformed request line") }
        let (method, target, version) = (parts[0], parts[1], parts[2])
        guard !method.isEmpty, method.allSatisfy(isTokenCharacter) else { throw .badRequest("malformed method") }
        // §3.2: the target contains no whitespace or control characters.
        guard !target.isEmpty, target.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw .badRequest("malformed request target")
        }
        // §2.3: HTTP-version = "HTTP/" DIGIT "." DIGIT.
        let digits = Array(version.dropFirst(5))
        guard version.starts(with: Array("HTTP/".utf8)), digits.count == 3, isDigit(digits[0]),
            digits[1] == UInt8(ascii: "."), isDigit(digits[2])
        else { throw .badRequest("malformed HTTP version") }
        guard digits[0] == UInt8(ascii: "1") else {
            throw HTTPParseError(status: 505, reason: "HTTP version not supported")
        }
        return (ascii(method), ascii(target), ascii(version))
    }

    /// Parses `field-name ":" OWS field-value OWS` (RFC 9112 §5).
    static func parseField(_ line: [UInt8]) throws(HTTPParseError) -> (name: String, value: String) {
        // §5.2: obsolete line folding MUST be rejected with 400 outside message/http.
        guard line[0] != UInt8(ascii: " ") && line[0] != UInt8(ascii: "\t") else {
            throw .badRequest("obsolete line folding")
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { throw .badRequest("header line without colon") }
        let name = line[..<colon]
        // §5.1: no whitespace is allowed between the field name and the colon.
        guard !name.isEmpty, name.allSatisfy(isTokenCharacter) else { throw .badRequest("malformed header name") }
        var value = line[(colon + 1)...]
        while let first = value.first, first == 0x20 || first == 0x09 { value.removeFirst() }
        while let last = value.last, last == 0x20 || last == 0x09 { value.removeLast() }
        // RFC 9110 §5.5: field values are visible characters, SP, HTAB and obs-text; NUL and other controls are out.
        guard value.allSatisfy({ $0 == 0x09 || ($0 >= 0x20 && $0 != 0x7F) }) else {
            throw .badRequest("control character in header value")
        }
        return (ascii(name), String(decoding: value, as: UTF8.self))
    }

    /// RFC 9110 §5.6.2 `tchar`.
    static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
        }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private static func ascii(_ bytes: ArraySlice<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }
}
