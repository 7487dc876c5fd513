import Foundation
import Memory
import Synchronization

@testable import Phases

/// A temporary workspace (and a sibling "outside" directory) for one tool test.
struct ToolFixture {
    /// The parent temp directory holding `workspace/` and `outside/`.
    let base: String
    let workspace: WorkspaceRoot
    let outside: String

    init() throws {
        var template = Array((NSTemporaryDirectory() + "raaid-tools-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw CocoaError(.fileWriteUnknown) }
        guard let real = realpath(made, nil) else { throw CocoaError(.fileWriteUnknown) }
        base = String(cString: real)
        free(real)
        try FileManager.default.createDirectory(atPath: base + "/workspace", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: base + "/outside", withIntermediateDirectories: true)
        workspace = try WorkspaceRoot(base + "/workspace")
        outside = base + "/outside"
    }

    var root: String { workspace.path }

    func write(_ path: String, _ content: String) throws {
        let url = URL(fileURLWithPath: root + "/" + path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(content.utf8).write(to: url)
    }

    func writeBytes(_ path: String, _ bytes: [UInt8]) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: root + "/" + path))
    }

    func read(_ path: String) -> String? {
        FileManager.default.contents(atPath: root + "/" + path).map { String(decoding: $0, as: UTF8.self) }
    }

    func exists(_ absolute: String) -> Bool {
        var info = stat()
        return lstat(absolute, &info) == 0
    }

    func symlink(_ path: String, to destination: String) throws {
        try FileManager.default.createSymbolicLink(atPath: root + "/" + path, withDestinationPath: destination)
    }

    func memory() throws -> MemoryStore { try MemoryStore(directory: base + "/memory") }

    func context(
        memory: MemoryStore? = nil, human: any HumanChannel = DecliningHumanChannel(),
        shell: ShellSettings = ShellSettings(), isCancelled: @escaping @Sendable () -> Bool = { false }
    ) -> ToolContext {
        ToolContext(
            workspace: workspace, memory: memory, session: "s-test", run: "r-test", phase: "research",
            isCancelled: isCancelled, human: human, shell: shell)
    }

    func remove() { try? FileManager.default.removeItem(atPath: base) }
}

/// Calls a tool through the registry (validation and error mapping included).
func call(
    _ name: String, _ input: JSONValue, in fixture: ToolFixture, context: ToolContext? = nil
) async throws -> ToolOutput {
    try await ToolRegistry.standard().call(name, input: input, context: context ?? fixture.context())
}

/// Process inspection for the process-group tests.
enum ProcessTable {
    /// Live (non-zombie) processes whose process group is `group`.
    static func liveMembers(ofGroup group: Int32) -> [Int32] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        var result: [Int32] = []
        for name in names {
            guard let pid = Int32(name),
                let data = FileManager.default.contents(atPath: "/proc/\(name)/stat")
            else { continue }
            let text = String(decoding: data, as: UTF8.self)
            guard let close = text.lastIndex(of: ")") else { continue }
            let fields = text[text.index(after: close)...].split(separator: " ")
            guard fields.count > 2, let pgrp = Int32(fields[2]) else { continue }
            if pgrp == group && fields[0] != "Z" && fields[0] != "X" { result.append(pid) }
        }
        return result
    }

    /// Whether `pid` is alive and not a zombie.
    static func isAlive(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0, let data = FileManager.default.contents(atPath: "/proc/\(pid)/stat") else {
            return false
        }
        let text = String(decoding: data, as: UTF8.self)
        guard let close = text.lastIndex(of: ")") else { return false }
        let state = text[text.index(after: close)...].split(separator: " ").first
        return state != "Z" && state != "X"
    }

    /// Polls until `condition` holds or `seconds` pass.
    static func eventually(within seconds: Double, _ condition: () -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            try? await Task.sleep(nanoseconds: 50_000_000)
        }
        return condition()
    }
}

/// Records the pid a runner started.
final class PIDBox: Sendable {
    private let value = Mutex<Int32>(0)
    var pid: Int32 { value.withLock { $0 } }
    func set(_ pid: Int32) { value.withLock { $0 = pid } }
}
