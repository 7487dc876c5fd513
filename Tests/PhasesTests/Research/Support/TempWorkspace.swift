import Foundation

/// A throwaway directory tree for hermetic research tests; removed on `remove()`.
struct TempWorkspace {
    let root: String

    init() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("raaid-research-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        root = dir.path
    }

    /// Writes `text` at workspace-relative `path`, creating directories.
    func write(_ path: String, _ text: String) throws {
        let url = URL(fileURLWithPath: root + "/" + path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    /// Makes a sibling directory for the cache.
    func makeCacheDirectory() throws -> String {
        let path = root + "-cache"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: root)
        try? FileManager.default.removeItem(atPath: root + "-cache")
    }

    /// A small Swift package with sources, a test and docs.
    static func makeFixture() throws -> TempWorkspace {
        let ws = try TempWorkspace()
        try ws.write("Package.swift", "// swift-tools-version:6.0\nimport PackageDescription\n")
        try ws.write(
            "Sources/Net/FrameDecoder.swift",
            """
            /// Decodes WebSocket frames.
            public struct WebSocketFrameDecoder {
                var maxFrameSize: Int

                public func decode(_ bytes: [UInt8]) throws -> Frame? {
                    guard bytes.count >= 2 else { return nil }
                    let length = Int(bytes[1] & 0x7F)
                    if length > maxFrameSize { throw FrameError.tooLarge }
                    return Frame(payload: Array(bytes.dropFirst(2)))
                }
            }
            """)
        try ws.write(
            "Sources/Net/Frame.swift",
            """
            public struct Frame {
                public var payload: [UInt8]
            }

            public enum FrameError: Error {
                case tooLarge
            }
            """)
        try ws.write(
            "Sources/Net/Server.swift",
            """
            final class Server {
                func start() {
                    // accept connections and hand bytes to the decoder
                }
            }
            """)
        try ws.write(
            "Tests/NetTests/WebSocketFrameDecoderTests.swift",
            """
            import Testing
            @Test func decodesWebSocketFrame() {
                let decoder = WebSocketFrameDecoder(maxFrameSize: 10)
                // WebSocketFrameDecoder payload length frame decode
                _ = decoder
            }
            """)
        try ws.write("docs/websocket.md", "# WebSocket frames\n\nThe WebSocketFrameDecoder decodes frame payload length.\n")
        return ws
    }
}
