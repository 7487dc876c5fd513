import Foundation
import Memory

/// Paths in the repository and the build, found relative to this source file and the test binary.
enum RepositoryPaths {
    /// The package root.
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `raaid` executable built next to the test bundle.
    static let executable: URL = {
        let binary = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0])
        var directory = binary.deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("raaid")
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                return candidate
            }
            directory.deleteLastPathComponent()
        }
        return root.appendingPathComponent(".build/debug/raaid")
    }()

    /// The published event schema, parsed.
    static let eventSchema: JSONValueBox = {
        let data = try! Data(contentsOf: root.appendingPathComponent("docs/events.schema.json"))
        return JSONValueBox(value: try! JSONValue.parse(bytes: [UInt8](data)))
    }()
}

/// Wraps a parsed value for a lazily initialized static.
struct JSONValueBox: Sendable {
    var value: JSONValue
}
