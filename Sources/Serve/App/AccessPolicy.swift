/// Who may connect: the token (bearer header or `Sec-WebSocket-Protocol` entry, compared in constant time),
/// the Host header (DNS rebinding) and the browser Origin (cross-site WebSocket hijacking).
struct AccessPolicy: Sendable {
    /// The subprotocol the server speaks; browsers must offer it alongside their token entry.
    static let subprotocol = "raaid.v1"
    static let tokenPrefix = "raaid.token."
    static let sessionPrefix = "raaid.session."

    let token: String
    let allowedHosts: Set<String>
    let allowedOrigins: Set<String>

    /// A policy for a server bound to `host:port`.
    ///
    /// Allowed Host values: `host:port`, and for loopback binds also `localhost`, `127.0.0.1` and `[::1]` with
    /// the port, plus `extraHosts`. Allowed origins: `http://` and `https://` on every allowed host (the page
    /// served at `/`), plus `extraOrigins` exactly.
    init(token: String, host: String, port: Int, extraHosts: [String], extraOrigins: [String]) {
        self.token = token
        var hosts = Set<String>()
        let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        hosts.insert("\(bracketed):\(port)")
        if ["127.0.0.1", "::1", "localhost"].contains(host) {
            for name in ["localhost", "127.0.0.1", "[::1]"] { hosts.insert("\(name):\(port)") }
        }
        for extra in extraHosts { hosts.insert(extra.lowercased()) }
        allowedHosts = hosts
        var origins = Set<String>()
        for name in hosts {
            origins.insert("http://\(name)")
            origins.insert("https://\(name)")
            if name.hasSuffix(":80") { origins.insert("http://\(name.dropLast(3))") }
            if name.hasSuffix(":443") { origins.insert("https://\(name.dropLast(4))") }
        }
        for origin in extraOrigins { origins.insert(Self.normalize(origin)) }
        allowedOrigins = origins
    }

    /// Why a request is refused, if it is: (HTTP status, reason code, message).
    struct Refusal: Sendable, Equatable {
        var status: Int
        var reason: String
        var message: String
    }

    /// Checks Host; a missing or foreign Host is refused with 421 / 400.
    func checkHost(_ host: String?) -> Refusal? {
        guard let host, !host.isEmpty else {
            return Refusal(status: 400, reason: "missing_host", message: "the Host header is required")
        }
        guard allowedHosts.contains(host.lowercased()) else {
            return Refusal(
                status: 421, reason: "host_not_allowed",
                message: "Host '\(host)' is not served here; start raaid serve with --allow-host \(host) to allow it")
        }
        return nil
    }

    /// Checks Origin when a browser sent one; non-browser clients send none.
    func checkOrigin(_ origin: String?) -> Refusal? {
        guard let origin else { return nil }
        guard allowedOrigins.contains(Self.normalize(origin)) else {
            return Refusal(
                status: 403, reason: "origin_not_allowed",
                message: "Origin '\(origin)' is not allowed; start raaid serve with --allow-origin \(origin) to allow it")
        }
        return nil
    }

    /// Checks the token from `Authorization: Bearer …` or a `raaid.token.…` subprotocol entry.
    func checkToken(authorization: String?, subprotocols: [String]) -> Refusal? {
        var presented: [String] = []
        if let authorization, authorization.lowercased().hasPrefix("bearer ") {
            presented.append(String(authorization.dropFirst(7)).trimmingSpaces())
        }
        presented += subprotocols.filter { $0.hasPrefix(Self.tokenPrefix) }.map { String($0.dropFirst(Self.tokenPrefix.count)) }
        guard !presented.isEmpty else {
            return Refusal(
                status: 401, reason: "missing_token",
                message: "a token is required: send 'Authorization: Bearer <token>' or the subprotocol 'raaid.token.<token>'")
        }
        // Compare every presented value so timing does not reveal which one matched.
        var matched = false
        for value in presented { matched = ConstantTime.equals(value, token) || matched }
        return matched ? nil : Refusal(status: 401, reason: "bad_token", message: "the token is not valid for this server")
    }

    /// The session token a reconnecting client offers (`raaid.session.…` subprotocol or `X-Raaid-Session`).
    static func resumeToken(header: String?, subprotocols: [String]) -> String? {
        header ?? subprotocols.first { $0.hasPrefix(sessionPrefix) }.map { String($0.dropFirst(sessionPrefix.count)) }
    }

    /// `scheme://host[:port]` lowercased, without a trailing slash.
    static func normalize(_ origin: String) -> String {
        var text = origin.lowercased()
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        var slice = self[...]
        while slice.first == " " || slice.first == "\t" { slice.removeFirst() }
        while slice.last == " " || slice.last == "\t" { slice.removeLast() }
        return String(slice)
    }
}
