import Synchronization

/// A client session: its public id (also the memory session runs write to) and the secret token that
/// resumes it after a reconnect.
struct ClientSession: Sendable, Equatable {
    var id: String
    var token: String
}

/// Sessions of this server process, found by their secret token in constant time per comparison.
final class SessionRegistry: Sendable {
    private let sessions = Mutex<[ClientSession]>([])

    /// Creates a session with a fresh id and token.
    func create() -> ClientSession {
        let session = ClientSession(id: "s-" + Self.randomHex(bytes: 8), token: Self.randomHex(bytes: 24))
        sessions.withLock { $0.append(session) }
        return session
    }

    /// The session whose token is `token`, if any.
    func resume(token: String) -> ClientSession? {
        sessions.withLock { sessions in sessions.first { ConstantTime.equals($0.token, token) } }
    }

    /// How many sessions exist.
    var count: Int { sessions.withLock { $0.count } }

    /// `bytes` random bytes as lowercase hex, from the system's CSPRNG.
    static func randomHex(bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<bytes).map { _ in
            let byte = UInt8.random(in: 0...255, using: &generator)
            return (byte < 16 ? "0" : "") + String(byte, radix: 16)
        }.joined()
    }
}

/// Comparisons whose time does not depend on where two secrets differ.
enum ConstantTime {
    /// Whether `a == b`, comparing every byte of the longer input.
    static func equals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        var difference = UInt8(truncatingIfNeeded: x.count ^ y.count)
        for index in 0..<max(x.count, y.count) {
            let left = index < x.count ? x[index] : 0
            let right = index < y.count ? y[index] : 0
            difference |= left ^ right
        }
        return difference == 0 && x.count == y.count
    }
}

/// Secrets for `raaid serve`.
public enum SessionTokens {
    /// A fresh server token: 24 random bytes as 48 hex digits.
    public static func makeServerToken() -> String { SessionRegistry.randomHex(bytes: 24) }
}
