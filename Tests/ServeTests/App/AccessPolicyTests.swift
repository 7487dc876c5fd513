import Testing

@testable import Serve

/// Token, Host and Origin checks before any upgrade.
@Suite struct AccessPolicyTests {
    let policy = AccessPolicy(
        token: "s3cret", host: "127.0.0.1", port: 8765, extraHosts: ["agent.example.com"],
        extraOrigins: ["https://app.example.com/"])

    @Test(arguments: ["127.0.0.1:8765", "localhost:8765", "[::1]:8765", "LOCALHOST:8765", "agent.example.com"])
    func allowedHosts(_ host: String) { #expect(policy.checkHost(host) == nil) }

    @Test(arguments: ["evil.example:8765", "127.0.0.1:9999", "attacker.rebind.network:8765"])
    func foreignHosts_areRefused(_ host: String) {
        #expect(policy.checkHost(host)?.status == 421)
        #expect(policy.checkHost(host)?.reason == "host_not_allowed")
    }

    @Test func missingHost_isRefused() { #expect(policy.checkHost(nil)?.status == 400) }

    @Test(arguments: [nil, "http://127.0.0.1:8765", "http://localhost:8765", "https://app.example.com", "https://agent.example.com"])
    func allowedOrigins(_ origin: String?) { #expect(policy.checkOrigin(origin) == nil) }

    @Test(arguments: ["https://evil.example", "http://127.0.0.1:9999", "null", "http://localhost"])
    func foreignOrigins_areRefused(_ origin: String) {
        #expect(policy.checkOrigin(origin)?.status == 403)
        #expect(policy.checkOrigin(origin)?.message.contains("--allow-origin") == true)
    }

    @Test func token_fromBearerOrSubprotocol() {
        #expect(policy.checkToken(authorization: "Bearer s3cret", subprotocols: []) == nil)
        #expect(policy.checkToken(authorization: "bearer  s3cret ", subprotocols: []) == nil)
        #expect(policy.checkToken(authorization: nil, subprotocols: ["raaid.v1", "raaid.token.s3cret"]) == nil)
        #expect(policy.checkToken(authorization: nil, subprotocols: ["raaid.v1"])?.reason == "missing_token")
        #expect(policy.checkToken(authorization: "Bearer nope", subprotocols: [])?.reason == "bad_token")
        #expect(policy.checkToken(authorization: "Basic czNjcmV0", subprotocols: [])?.status == 401)
        #expect(policy.checkToken(authorization: nil, subprotocols: ["raaid.token.s3cre"])?.reason == "bad_token")
    }

    @Test func refusalMessages_neverContainTheToken() {
        let refusals = [
            policy.checkToken(authorization: "Bearer wrong", subprotocols: []),
            policy.checkToken(authorization: nil, subprotocols: []),
            policy.checkHost("x:1"), policy.checkOrigin("https://x"),
        ]
        for refusal in refusals { #expect(refusal?.message.contains("s3cret") == false) }
    }

    @Test func resumeToken_fromHeaderOrSubprotocol() {
        #expect(AccessPolicy.resumeToken(header: "abc", subprotocols: []) == "abc")
        #expect(AccessPolicy.resumeToken(header: nil, subprotocols: ["raaid.v1", "raaid.session.def"]) == "def")
        #expect(AccessPolicy.resumeToken(header: nil, subprotocols: ["raaid.v1"]) == nil)
    }
}
