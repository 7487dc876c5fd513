#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A numeric IPv4 or IPv6 address and a TCP port.
public struct SocketAddress: Sendable, Hashable, CustomStringConvertible {
    /// The address family.
    public enum Family: Sendable, Hashable {
        /// `AF_INET`.
        case ipv4
        /// `AF_INET6`.
        case ipv6
    }

    /// The host part, kept in network byte order.
    private enum Host: Sendable, Hashable {
        case ipv4(UInt32)
        case ipv6(UInt64, UInt64, scope: UInt32)
    }

    private var host: Host
    /// The port in host byte order; 0 asks the kernel for any free port when binding.
    public var port: UInt16

    /// Parses a numeric address such as `127.0.0.1`, `0.0.0.0`, `::1` or `[::1]`.
    /// - Throws: ``SocketError/invalidAddress(_:)`` when `host` is not a numeric address (names are not resolved).
    public init(host text: String, port: UInt16) throws(SocketError) {
        var trimmed = text
        if trimmed.hasPrefix("[") && trimmed.hasSuffix("]") { trimmed = String(trimmed.dropFirst().dropLast()) }
        var v4 = in_addr()
        if inet_pton(AF_INET, trimmed, &v4) == 1 {
            self.host = .ipv4(v4.s_addr)
        } else {
            var v6 = in6_addr()
            guard inet_pton(AF_INET6, trimmed, &v6) == 1 else { throw .invalidAddress(text) }
            let (high, low) = withUnsafeBytes(of: &v6) { raw in
                (
                    raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self),
                    raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
                )
            }
            self.host = .ipv6(high, low, scope: 0)
        }
        self.port = port
    }

    /// `127.0.0.1` on `port`.
    public static func loopback(port: UInt16) -> SocketAddress {
        SocketAddress(host: .ipv4(UInt32(0x7F00_0001).bigEndian), port: port)
    }

    private init(host: Host, port: UInt16) {
        self.host = host
        self.port = port
    }

    /// The address family.
    public var family: Family {
        switch host {
        case .ipv4: .ipv4
        case .ipv6: .ipv6
        }
    }

    /// The host in its canonical text form, without brackets.
    public var hostText: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        switch host {
        case .ipv4(let raw):
            var address = in_addr(s_addr: raw)
            _ = inet_ntop(AF_INET, &address, &buffer, socklen_t(buffer.count))
        case .ipv6(let high, let low, _):
            var address = in6_addr()
            withUnsafeMutableBytes(of: &address) { raw in
                raw.storeBytes(of: high, toByteOffset: 0, as: UInt64.self)
                raw.storeBytes(of: low, toByteOffset: 8, as: UInt64.self)
            }
            _ = inet_ntop(AF_INET6, &address, &buffer, socklen_t(buffer.count))
        }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `127.0.0.1:8080` or `[::1]:8080`.
    public var description: String {
        switch host {
        case .ipv4: "\(hostText):\(port)"
        case .ipv6: "[\(hostText)]:\(port)"
        }
    }

    /// The `AF_` constant for `socket(2)`.
    var domain: Int32 {
        switch host {
        case .ipv4: AF_INET
        case .ipv6: AF_INET6
        }
    }

    /// Calls `body` with this address as a `sockaddr`.
    func withSockAddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) throws -> R) rethrows -> R {
        switch host {
        case .ipv4(let raw):
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            address.sin_addr = in_addr(s_addr: raw)
            return try withUnsafePointer(to: &address) { pointer in
                try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    try body($0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        case .ipv6(let high, let low, let scope):
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = port.bigEndian
            address.sin6_scope_id = scope
            withUnsafeMutableBytes(of: &address.sin6_addr) { raw in
                raw.storeBytes(of: high, toByteOffset: 0, as: UInt64.self)
                raw.storeBytes(of: low, toByteOffset: 8, as: UInt64.self)
            }
            return try withUnsafePointer(to: &address) { pointer in
                try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    try body($0, socklen_t(MemoryLayout<sockaddr_in6>.size))
                }
            }
        }
    }

    /// Decodes an address filled in by `accept`, `getsockname` or `getpeername`; nil for other families.
    init?(storage: sockaddr_storage) {
        var storage = storage
        switch Int32(storage.ss_family) {
        case AF_INET:
            let address = withUnsafeBytes(of: &storage) { $0.loadUnaligned(as: sockaddr_in.self) }
            self.init(host: .ipv4(address.sin_addr.s_addr), port: UInt16(bigEndian: address.sin_port))
        case AF_INET6:
            let address = withUnsafeBytes(of: &storage) { $0.loadUnaligned(as: sockaddr_in6.self) }
            var addr = address.sin6_addr
            let (high, low) = withUnsafeBytes(of: &addr) { raw in
                (
                    raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self),
                    raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
                )
            }
            self.init(host: .ipv6(high, low, scope: address.sin6_scope_id), port: UInt16(bigEndian: address.sin6_port))
        default:
            return nil
        }
    }
}
