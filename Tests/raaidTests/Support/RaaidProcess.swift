import Foundation
import Memory
import Testing

/// Runs the built `raaid` binary and captures its output, like argument-parser's `AssertExecuteCommand`.
struct RaaidProcess {
    /// What one invocation produced.
    struct Output {
        var stdout: String
        var stderr: String
        var exitCode: Int32

        /// stdout split into lines (each an event for `raaid run`).
        var lines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init) }
    }

    /// Runs `raaid arguments…` in `directory` with `stdin` and returns its output. Times out after 60 s.
    static func run(
        _ arguments: [String], in directory: URL? = nil, stdin: Data? = nil, environment: [String: String] = [:]
    ) async throws -> Output {
        try await offPool { try runBlocking(arguments, in: directory, stdin: stdin, environment: environment) }
    }

    private static func runBlocking(
        _ arguments: [String], in directory: URL?, stdin: Data?, environment: [String: String]
    ) throws -> Output {
        let process = Process()
        process.executableURL = RepositoryPaths.executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        var env = ProcessInfo.processInfo.environment
        env["COLUMNS"] = "80"
        // Hermetic: never reach a real model from a developer's shell.
        for name in ["RAAID_PROVIDER", "RAAID_MODEL", "ANTHROPIC_API_KEY", "OPENAI_API_KEY", "OPENAI_BASE_URL", "ANTHROPIC_BASE_URL", "RAAID_SERVE_TOKEN"] {
            env[name] = ""
        }
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        // Read both pipes concurrently so neither can fill up and stall the child.
        let errData = Mutexed<Data>(Data())
        let reader = Thread { errData.set(err.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errData.isSet { usleep(1000) }
        return Output(
            stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData.value, as: UTF8.self),
            exitCode: process.terminationStatus)
    }
}

/// A value set once from another thread.
final class Mutexed<Value>: @unchecked Sendable {
    // @unchecked: every access goes through `lock`.
    private let lock = NSLock()
    private var stored: Value
    private var wasSet = false
    init(_ value: Value) { stored = value }
    func set(_ value: Value) { lock.lock(); stored = value; wasSet = true; lock.unlock() }
    var value: Value { lock.lock(); defer { lock.unlock() }; return stored }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return wasSet }
}

/// Checks the rules every `raaid run` stream must keep, and validates each event against the schema.
enum EventStreamChecks {
    /// Parses, validates and checks `lines`; returns the parsed events.
    @discardableResult
    static func check(_ lines: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> [JSONValue] {
        let validator = SchemaValidator(root: RepositoryPaths.eventSchema.value)
        var events: [JSONValue] = []
        for (index, line) in lines.enumerated() {
            let event = try JSONValue.parse(line)
            let problems = validator.validate(event)
            #expect(problems.isEmpty, "event \(index + 1) breaks the schema: \(problems)\n\(line)", sourceLocation: sourceLocation)
            events.append(event)
        }
        let completed = events.filter { $0["type"]?.stringValue == "run.completed" }
        #expect(completed.count == 1, "exactly one run.completed", sourceLocation: sourceLocation)
        #expect(events.last?["type"]?.stringValue == "run.completed", "run.completed is last", sourceLocation: sourceLocation)
        let seqs = events.compactMap { $0["seq"]?.intValue }
        #expect(seqs == Array(1...max(1, events.count)).prefix(events.count).map { $0 }, "seq is 1, 2, 3…", sourceLocation: sourceLocation)
        let runs = Set(events.compactMap { $0["run"]?.stringValue })
        #expect(runs.count == 1, "one run id", sourceLocation: sourceLocation)
        return events
    }
}
