import Foundation
import Testing

/// A `raaid serve` process on a free port, for end-to-end tests.
final class ServeProcess: @unchecked Sendable {
    // @unchecked: fields are set in init and only read afterwards; the stderr buffer is behind `Mutexed`.
    let process = Process()
    let port: Int
    let token = "test-token-0123456789abcdef"
    private let stderrText = Mutexed<String>("")

    /// Starts the server in `workspace` with `arguments` and waits (off the cooperative pool) until it listens.
    static func start(workspace: URL, arguments: [String] = []) async throws -> ServeProcess {
        try await offPool { try ServeProcess(workspace: workspace, arguments: arguments) }
    }

    private init(workspace: URL, arguments: [String]) throws {
        process.executableURL = RepositoryPaths.executable
        process.arguments = ["serve", "--port", "0", "--token", token, "--workspace", workspace.path] + arguments
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let text = stderrText
        let handle = err.fileHandleForReading
        Thread {
            while true {
                let data = handle.availableData
                if data.isEmpty { break }
                text.set(text.value + String(decoding: data, as: UTF8.self))
            }
        }.start()
        var found: Int?
        for _ in 0..<500 {
            if let range = text.value.range(of: #"listening on http://127\.0\.0\.1:(\d+)/"#, options: .regularExpression) {
                found = Int(text.value[range].split(separator: ":").last!.dropLast())
                break
            }
            usleep(10_000)
        }
        guard let found else {
            process.terminate()
            throw ServeError(message: "raaid serve did not start: \(text.value)")
        }
        port = found
    }

    /// What the server wrote on stderr so far.
    var stderr: String { stderrText.value }

    /// Sends `signal` and waits for the exit code.
    func stop(_ signal: Int32 = SIGTERM) async throws -> Int32 {
        kill(process.processIdentifier, signal)
        let process = process
        return try await offPool {
            process.waitUntilExit()
            return process.terminationStatus
        }
    }

    deinit { if process.isRunning { process.terminate() } }

    struct ServeError: Error, CustomStringConvertible { var message: String; var description: String { message } }
}

/// Runs a command with a timeout and returns (stdout, stderr, exit code).
func runTool(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) async throws -> (String, String, Int32) {
    try await offPool { try runToolBlocking(executable, arguments, environment: environment) }
}

private func runToolBlocking(_ executable: String, _ arguments: [String], environment: [String: String]) throws -> (String, String, Int32) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [executable] + arguments
    var env = ProcessInfo.processInfo.environment
    for (key, value) in environment { env[key] = value }
    process.environment = env
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let errData = Mutexed<Data>(Data())
    Thread { errData.set(err.fileHandleForReading.readDataToEndOfFile()) }.start()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    while !errData.isSet { usleep(1000) }
    return (String(decoding: outData, as: UTF8.self), String(decoding: errData.value, as: UTF8.self), process.terminationStatus)
}

/// One HTTP/1.1 request over a raw socket; returns the status line and the whole response.
func rawHTTP(port: Int, request: String) async throws -> (status: String, response: String) {
    try await offPool { try rawHTTPBlocking(port: port, request: request) }
}

private func rawHTTPBlocking(port: Int, request: String) throws -> (status: String, response: String) {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = UInt16(port).bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard connected == 0 else { throw ServeProcess.ServeError(message: "connect failed") }
    var timeout = timeval(tv_sec: 10, tv_usec: 0)
    setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    let bytes = Array(request.utf8)
    _ = bytes.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    var response = [UInt8]()
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        if count <= 0 { break }
        response += buffer[0..<count]
        if let text = String(validating: response, as: UTF8.self), text.contains("\r\n\r\n"), text.hasPrefix("HTTP/1.1 101") { break }
    }
    let text = String(decoding: response, as: UTF8.self)
    return (text.components(separatedBy: "\r\n").first ?? "", text)
}
