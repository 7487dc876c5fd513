#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The server side of the WebSocket opening handshake (RFC 6455 §4.2).
///
/// ```
/// GET /ws HTTP/1.1                                 HTTP/1.1 101 Switching Protocols
/// Host: 127.0.0.1:8765                             Upgrade: websocket
/// Upgrade: websocket                       →       Connection: Upgrade
/// Connection: Upgrade                              Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=
/// Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==
/// Sec-WebSocket-Version: 13
/// ```
///
/// Origin and authentication checks are the caller's job: this type only enforces the protocol.
public enum WSHandshake {
    /// The GUID appended to the key before hashing (§1.3).
    static let guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    /// The `Sec-WebSocket-Accept` value for a `Sec-WebSocket-Key`: base64(SHA-1(key + GUID)) (§4.2.2 step 5.4).
    public static func acceptValue(for key: String) -> String {
        Data(SHA1.hash(Array((key + guid).utf8))).base64EncodedString()
    }

    /// Checks a client's opening handshake (§4.2.1) and returns its `Sec-WebSocket-Key`, or the error response to
    /// send before closing the connection.
    ///
    /// Requires, in this order: `GET`; HTTP/1.1 or later; `Host`; an `Upgrade` list containing `websocket` (else
    /// 426); a `Connection` list containing `upgrade`; `Sec-WebSocket-Version: 13` (426 with
    /// `Sec-WebSocket-Version: 13` when another version is asked for, 400 when absent); and exactly one
    /// `Sec-WebSocket-Key` that is the base64 encoding of 16 bytes. Tokens compare case-insensitively.
    public static func validate(_ request: HTTPRequestHead) -> Result<String, HTTPResponse> {
        // §4.2.1 item 1: "An HTTP/1.1 or higher GET request".
        guard request.method == "GET" else { return .failure(reject(400, "WebSocket handshake requires GET")) }
        guard isHTTP11OrLater(request.version) else {
            return .failure(reject(400, "WebSocket handshake requires HTTP/1.1"))
        }
        // Item 2: a |Host| header field.
        guard request.header("Host") != nil else { return .failure(reject(400, "missing Host header")) }
        // Item 3: an |Upgrade| header field containing "websocket".
        guard tokens(request.headers(named: "Upgrade")).contains("websocket") else {
            var response = reject(426, "expected Upgrade: websocket")
            response.headers.append(("Upgrade", "websocket"))
            return .failure(response)
        }
        // Item 4: a |Connection| header field that includes the token "Upgrade".
        guard tokens(request.headers(named: "Connection")).contains("upgrade") else {
            return .failure(reject(400, "expected Connection: Upgrade"))
        }
        // Item 6 and §4.2.2 step 4: version 13, else 426 with the versions the server supports.
        let versions = request.headers(named: "Sec-WebSocket-Version")
        guard !versions.isEmpty else { return .failure(reject(400, "missing Sec-WebSocket-Version header")) }
        guard versions.count == 1, versions[0].trimmingOWS == "13" else {
            var response = reject(426, "unsupported WebSocket version; expected 13")
            response.headers.append(("Sec-WebSocket-Version", "13"))
            return .failure(response)
        }
        // Item 5: a |Sec-WebSocket-Key| that base64-decodes to 16 bytes; a single header, not a list (as NIO).
        let keys = request.headers(named: "Sec-WebSocket-Key")
        guard keys.count == 1 else {
            return .failure(
                reject(400, keys.isEmpty ? "missing Sec-WebSocket-Key header" : "duplicate Sec-WebSocket-Key"))
        }
        let key = keys[0].trimmingOWS
        guard let decoded = Data(base64Encoded: key), decoded.count == 16 else {
            return .failure(reject(400, "Sec-WebSocket-Key is not 16 base64-encoded bytes"))
        }
        return .success(key)
    }

    /// The `101 Switching Protocols` response accepting `key` (§4.2.2 step 5).
    /// - Parameter subprotocol: The chosen `Sec-WebSocket-Protocol`, which must be one the client offered.
    public static func response(key: String, subprotocol: String?) -> HTTPResponse {
        var headers = [
            ("Upgrade", "websocket"), ("Connection", "Upgrade"), ("Sec-WebSocket-Accept", acceptValue(for: key)),
        ]
        if let subprotocol { headers.append(("Sec-WebSocket-Protocol", subprotocol)) }
        return HTTPResponse(status: 101, headers: headers)
    }

    /// The subprotocols the client offered in `Sec-WebSocket-Protocol`, in order (§4.1, §11.3.4).
    ///
    /// Comma-separated lists are split, across repeated headers too, and empty elements are dropped.
    public static func offeredSubprotocols(_ request: HTTPRequestHead) -> [String] {
        request.headers(named: "Sec-WebSocket-Protocol").flatMap(splitList)
    }

    /// An error response with a plain-text body, closing the connection.
    private static func reject(_ status: Int, _ reason: String) -> HTTPResponse {
        var response = HTTPResponse.text(status, reason + "\n")
        response.headers.append(("Connection", "close"))
        return response
    }

    /// The lower-cased elements of comma-separated header values.
    private static func tokens(_ values: [String]) -> [String] {
        values.flatMap(splitList).map { $0.lowercased() }
    }

    /// Splits a `#rule` list (RFC 9110 §5.6.1) into its trimmed, non-empty elements.
    private static func splitList(_ value: String) -> [String] {
        value.split(separator: ",").map { String($0).trimmingOWS }.filter { !$0.isEmpty }
    }

    /// Whether `version` is `HTTP/x.y` with x.y ≥ 1.1.
    private static func isHTTP11OrLater(_ version: String) -> Bool {
        guard version.hasPrefix("HTTP/") else { return false }
        let numbers = version.dropFirst(5).split(separator: ".", omittingEmptySubsequences: false)
        guard numbers.count == 2, let major = Int(numbers[0]), let minor = Int(numbers[1]) else { return false }
        return major > 1 || (major == 1 && minor >= 1)
    }
}

/// Lets ``WSHandshake/validate(_:)`` return the rejection response as the failure of a `Result`.
extension HTTPResponse: Error {}
