import Foundation

/// A unique temporary directory for one test, removed when the test is done with it.
struct TemporaryTree {
    let root: String

    init(_ label: String = "walker") throws {
        var template = Array((NSTemporaryDirectory() + "raaid-\(label)-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw CocoaError(.fileWriteUnknown) }
        root = String(cString: made)
    }

    /// Writes `content` at a root-relative path, creating parent directories.
    func write(_ relativePath: String, _ content: String = "") throws {
        try write(relativePath, bytes: Array(content.utf8))
    }

    func write(_ relativePath: String, bytes: [UInt8]) throws {
        let url = URL(fileURLWithPath: root + "/" + relativePath)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
    }

    func makeDirectory(_ relativePath: String) throws {
        try FileManager.default.createDirectory(atPath: root + "/" + relativePath, withIntermediateDirectories: true)
    }

    func symlink(_ relativePath: String, to destination: String) throws {
        try FileManager.default.createSymbolicLink(atPath: root + "/" + relativePath, withDestinationPath: destination)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: root)
    }
}

/// Runs a command to completion and returns its standard output.
enum Shell {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs `git` with the given arguments in `directory`, with a hermetic environment.
    ///
    /// - Throws: ``Failure`` if git is missing or exits non-zero, so parity tests fail loudly instead of passing.
    static func git(_ arguments: [String], in directory: String) throws -> String {
        let searchPath = (ProcessInfo.processInfo.environment["PATH"] ?? "") + ":/usr/bin:/usr/local/bin:/bin"
        let candidates = searchPath.split(separator: ":").map { String($0) + "/git" }
        guard let git = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw Failure(description: "git is not on PATH; the gitignore parity tests need it (apt-get install git)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: git)
        process.arguments = ["-c", "core.excludesFile=/dev/null", "-c", "core.quotePath=false"] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = [
            "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null", "HOME": directory, "PATH": "/usr/bin:/bin",
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = Pipe()
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "git \(arguments.joined(separator: " ")) exited \(process.terminationStatus)")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
