#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Musl)
@preconcurrency import Musl
#endif
import Dispatch
import Memory
import Phases
import Serve

/// `raaid serve`: the WebSocket listener. Exit codes: 0 after a graceful shutdown, 2 usage, 3 the memory
/// directory or the address cannot be used.
struct ServeCommand {
    let parsed: ParsedArguments

    func execute() async throws(UsageError) -> Int32 {
        let path = ["serve"]
        let port = try integer("port", default: 8765, range: 0...65535, path: path)
        let maxRuns = try integer("max-runs", default: 2, range: 1...64, path: path)
        let rate = try number("rate", default: 20, range: 1...10_000, path: path)
        let drain = try number("drain-timeout", default: 30, range: 0...86_400, path: path)
        let nice = try integer("run-nice", default: 10, range: 0...19, path: path)
        let host = parsed.value("host") ?? "127.0.0.1"
        let address: SocketAddress
        do {
            address = try SocketAddress(host: host, port: UInt16(port))
        } catch {
            throw UsageError("invalid value '\(host)' for '--host'; expected an IPv4 or IPv6 address such as 127.0.0.1", commandPath: path, code: "invalid_value")
        }
        var generated = false
        let token: String
        if let given = parsed.value("token") ?? EnvironmentVariables.value("RAAID_SERVE_TOKEN"), !given.isEmpty {
            guard given.count >= 16, given.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.~".contains($0)) }) else {
                throw UsageError(
                    "the token must be at least 16 characters of letters, digits, '-', '_', '.' or '~' (try: openssl rand -hex 24)",
                    commandPath: path, code: "invalid_value")
            }
            token = given
        } else {
            token = SessionTokens.makeServerToken()
            generated = true
        }
        let log = ServerLog(
            level: ServerLog.Level(rawValue: parsed.value("log-level") ?? "info") ?? .info,
            format: ServerLog.Format(rawValue: parsed.value("log-format") ?? "text") ?? .text)
        let memory: MemoryStore
        let workspace: String
        let memoryDirectory: String
        do {
            workspace = try RunConfiguration.resolveWorkspace(parsed.value("workspace") ?? ".")
            memoryDirectory = parsed.value("memory-dir").map(RunConfiguration.absolute) ?? workspace + "/.raaid"
            memory = try MemoryCommand.openStore(memoryDirectory, create: true)
        } catch {
            Console.err("Error: \(error.message)\n")
            return error.reason.exitCode
        }
        memory.onWarning = { log.warning("memory warning", ["detail": $0.description]) }
        let provider: ProviderConfiguration?
        do {
            provider = try RunCommand.resolveProvider(parsed, memoryDirectory: memoryDirectory)
            _ = try PermissionRules(parsing: parsed.allValues("allow"))
        } catch let error as RunError {
            Console.err("Error: \(error.message)\n")
            return error.reason.exitCode
        } catch {
            Console.err("Error: \(error)\n")
            return 2
        }

        var configuration = ServeConfiguration(
            token: token, workspace: workspace, memoryDirectory: memoryDirectory, version: CommandTree.version)
        configuration.host = host
        configuration.port = port
        configuration.allowedOrigins = parsed.allValues("allow-origin")
        configuration.allowedHosts = parsed.allValues("allow-host")
        configuration.maxConcurrentRuns = maxRuns
        configuration.drainTimeout = drain
        configuration.messageRate = rate
        configuration.messageBurst = rate * 2
        configuration.isEchoEnabled = parsed.has("echo")
        DedicatedThreads.niceness = Int32(nice)
        configuration.provider = provider
        configuration.permissionRules = parsed.allValues("allow")
        configuration.isCowboyMode = parsed.has("cowboy-mode")

        let descriptors = raiseFileDescriptorLimit()
        var serverConfiguration =
            configuration.isEchoEnabled
            ? EchoHandler.conformanceConfiguration(address: address) : ServerConfiguration(address: address)
        serverConfiguration.maxConnections = max(16, descriptors - 64)
        let app = ServeApp(configuration: configuration, memory: memory, log: log)
        let handler = RaaidServerHandler(app: app, log: log)
        let server: WebSocketServer
        let bound: SocketAddress
        do {
            server = try WebSocketServer(configuration: serverConfiguration, handler: handler)
            bound = try server.bind()
        } catch {
            Console.err("Error: cannot listen on \(host):\(port): \(error); pick another --port or stop the other process\n")
            return 3
        }
        let boundPort = Int(bound.port)
        handler.didBind(port: boundPort) { server.metrics.prometheusText() }
        let displayHost = host.contains(":") ? "[\(host)]" : host
        let base = "http://\(displayHost):\(boundPort)/"
        Console.err(
            generated
                ? "raaid serve: listening on \(base)\n  open \(base)#token=\(token)\n  token (generated; pass --token or RAAID_SERVE_TOKEN to fix it): \(token)\n"
                : "raaid serve: listening on \(base) (WebSocket endpoint /ws; token from \(parsed.value("token") != nil ? "--token" : "RAAID_SERVE_TOKEN"))\n")
        log.info(
            "listening",
            ["address": "\(displayHost):\(boundPort)", "workspace": workspace, "memory_dir": memoryDirectory,
             "max_runs": String(maxRuns), "echo": String(configuration.isEchoEnabled), "fd_limit": String(descriptors),
             "model": provider.map { "\($0.kind.rawValue)/\($0.model)" } ?? "none"])

        let shutdown = SignalTrap { kind, count in
            guard count == 1 else {
                log.warning("second signal: exiting at once", ["signal": kind.rawValue])
                exit(kind == .sigint ? 130 : 143)
            }
            log.info("shutting down", ["signal": kind.rawValue, "drain_timeout_s": String(drain)])
            handler.readiness.set(false)
            Task {
                await server.shutdown(drainTimeout: .seconds(5))
                await app.drain()
                log.info("stopped")
            }
        }
        do {
            try await server.run()
        } catch {
            log.error("server failed", ["error": "\(error)"])
            shutdown.cancel()
            await app.drain()
            return 1
        }
        await app.drain()
        shutdown.cancel()
        return 0
    }

    private func integer(_ key: String, default value: Int, range: ClosedRange<Int>, path: [String]) throws(UsageError) -> Int {
        guard let text = parsed.value(key) else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw UsageError(
                "invalid value '\(text)' for '--\(key)'; expected an integer from \(range.lowerBound) to \(range.upperBound)",
                commandPath: path, code: "invalid_value")
        }
        return number
    }

    private func number(_ key: String, default value: Double, range: ClosedRange<Double>, path: [String]) throws(UsageError) -> Double {
        guard let text = parsed.value(key) else { return value }
        guard let number = Double(text), range.contains(number) else {
            throw UsageError(
                "invalid value '\(text)' for '--\(key)'; expected a number from \(Int(range.lowerBound)) to \(Int(range.upperBound))",
                commandPath: path, code: "invalid_value")
        }
        return number
    }
}
