import Dispatch
import Synchronization

#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Musl)
    @preconcurrency import Musl
#endif

/// Runs a command in its own process group with a timeout, an output cap and cancellation, without blocking the
/// cooperative pool.
///
/// The child is started with `posix_spawn`: `POSIX_SPAWN_SETPGROUP` makes it the leader of a new process group
/// (so everything it starts can be signalled at once), the signals raaid ignores (SIGPIPE, SIGINT, SIGTERM) are
/// reset to their defaults, the signal mask is cleared, stdin is `/dev/null`, and stdout and stderr share one pipe,
/// so the output reads as it would in a terminal. Every descriptor raaid creates is close-on-exec.
///
/// A Dispatch worker (not the cooperative pool) polls the pipe and the child every 50 ms. On timeout or
/// cancellation (task cancellation or the `isCancelled` closure) the whole group gets SIGTERM, then SIGKILL after
/// ``ProcessRequest/killGrace``. The leader is watched with `waitid(WNOWAIT)` so it stays a zombie — and its group
/// id stays reserved — until the group has been killed; when the leader exits, members it left behind (`cmd &`)
/// are killed too, after a short drain of their output. Processes that leave the group (`setsid`) are out of reach.
public enum ProcessRunner {
    /// Serializes pipe creation and spawning, so a concurrent spawn never inherits another command's pipe in the
    /// moment between `pipe()` and `fcntl(FD_CLOEXEC)`.
    private static let spawnLock = Mutex<Void>(())

    /// Runs `request` to completion.
    ///
    /// - Parameters:
    ///   - isCancelled: polled every 50 ms; `true` stops the group as task cancellation does.
    ///   - onStart: called with the child's pid (= process group id) once it runs.
    /// - Returns: how it ended; a timeout or cancellation is reported in the result, not thrown.
    /// - Throws: ``ToolError`` `spawn_failed` when the program cannot be started.
    public static func run(
        _ request: ProcessRequest, isCancelled: @escaping @Sendable () -> Bool = { false },
        onStart: (@Sendable (Int32) -> Void)? = nil
    ) async throws -> ProcessResult {
        let (pid, readEnd) = try spawn(request)
        onStart?(pid)
        let cancelFlag = Atomic<Bool>(false)
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                DispatchQueue(label: "raaid.process.\(pid)").async {
                    let result = supervise(
                        pid: pid, readEnd: readEnd, request: request,
                        shouldStop: { isCancelled() || cancelFlag.load(ordering: .relaxed) })
                    continuation.resume(returning: result)
                }
            }
        } onCancel: {
            cancelFlag.store(true, ordering: .relaxed)
        }
    }

    // MARK: Spawning

    private static func spawn(_ request: ProcessRequest) throws(ToolError) -> (pid_t, Int32) {
        var fileActions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&fileActions)
        defer { posix_spawn_file_actions_destroy(&fileActions) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }

        var executable = request.executable
        var arguments = request.arguments
        if let addChdir = SpawnChdir.function {
            _ = request.directory.withCString { addChdir(&fileActions, $0) }
        } else {
            // Old C libraries: change directory through /bin/sh, then exec the program.
            arguments = ["-c", "cd \"$0\" && exec \"$@\"", request.directory, executable] + arguments
            executable = "/bin/sh"
        }
        posix_spawn_file_actions_addopen(&fileActions, 0, "/dev/null", O_RDONLY, 0)

        let flags = Int32(POSIX_SPAWN_SETPGROUP) | Int32(POSIX_SPAWN_SETSIGDEF) | Int32(POSIX_SPAWN_SETSIGMASK)
        posix_spawnattr_setflags(&attributes, Int16(truncatingIfNeeded: flags))
        posix_spawnattr_setpgroup(&attributes, 0)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [
            SIGPIPE, SIGINT, SIGTERM, SIGQUIT, SIGHUP, SIGCHLD, SIGUSR1, SIGUSR2, SIGALRM, SIGTSTP,
            SIGTTIN, SIGTTOU,
        ] {
            sigaddset(&defaults, signal)
        }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = request.environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }

        return try spawnLock.withLock { _ throws(ToolError) -> (pid_t, Int32) in
            var fds: [Int32] = [-1, -1]
            guard pipe(&fds) == 0 else {
                throw ToolError(code: "spawn_failed", message: "cannot create a pipe: \(SystemError.text(errno))")
            }
            _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
            _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
            _ = fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK)
            posix_spawn_file_actions_adddup2(&fileActions, fds[1], 1)
            posix_spawn_file_actions_adddup2(&fileActions, fds[1], 2)
            var pid: pid_t = 0
            let code = posix_spawn(&pid, executable, &fileActions, &attributes, argv, envp)
            close(fds[1])
            guard code == 0 else {
                close(fds[0])
                throw ToolError(
                    code: "spawn_failed", message: "cannot start \(executable): \(SystemError.text(code))")
            }
            return (pid, fds[0])
        }
    }

    // MARK: Supervising

    private enum Stop {
        case running
        case terminated(at: UInt64)
        case killed
    }

    /// Blocking loop on a Dispatch worker: drains output, watches the leader, enforces timeout and cancellation.
    private static func supervise(
        pid: pid_t, readEnd: Int32, request: ProcessRequest, shouldStop: () -> Bool
    ) -> ProcessResult {
        let started = Timestamp.monotonicNanos()
        let timeout = UInt64(max(0, request.timeout) * 1e9)
        let grace = UInt64(max(0, request.killGrace) * 1e9)
        var capture = OutputCapture(limit: request.outputLimit)
        var outputOpen = true
        var leaderExitedAt: UInt64?
        var stop = Stop.running
        var timedOut = false
        var cancelled = false
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)

        while true {
            if outputOpen {
                var descriptor = pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)
                let ready = poll(&descriptor, 1, 50)
                if ready > 0 { outputOpen = drain(readEnd, into: &capture, buffer: &buffer) }
            } else {
                usleep(20_000)
            }
            let now = Timestamp.monotonicNanos()
            if leaderExitedAt == nil && hasExited(pid) { leaderExitedAt = now }
            if leaderExitedAt == nil, case .running = stop {
                if shouldStop() {
                    cancelled = true
                } else if now - started >= timeout {
                    timedOut = true
                }
                if cancelled || timedOut {
                    kill(-pid, SIGTERM)
                    stop = .terminated(at: now)
                }
            }
            if case .terminated(let at) = stop, now - at >= grace {
                kill(-pid, SIGKILL)
                stop = .killed
            }
            if let exitedAt = leaderExitedAt {
                // Give members left in the group a moment to flush what they wrote, then end them.
                if !outputOpen || now - exitedAt >= 200_000_000 { break }
            }
        }
        // The leader is a zombie, so the group id is still ours: end whatever is left in it, then reap.
        kill(-pid, SIGKILL)
        if outputOpen {
            _ = drain(readEnd, into: &capture, buffer: &buffer)
        }
        close(readEnd)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let signalled = status & 0x7F
        return ProcessResult(
            exitCode: signalled == 0 ? (status >> 8) & 0xFF : nil, signal: signalled == 0 ? nil : signalled,
            output: capture.text, outputBytes: capture.total, isTruncated: capture.isTruncated, timedOut: timedOut,
            cancelled: cancelled, durationMs: Int((Timestamp.monotonicNanos() - started) / 1_000_000),
            processGroup: pid)
    }

    /// Reads everything available; returns whether the pipe is still open.
    private static func drain(_ fd: Int32, into capture: inout OutputCapture, buffer: inout [UInt8]) -> Bool {
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if count > 0 {
                buffer.withUnsafeBytes { capture.append(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
                continue
            }
            if count == 0 { return false }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return true
            default: return false
            }
        }
    }

    /// Whether the leader has exited, without reaping it.
    private static func hasExited(_ pid: pid_t) -> Bool {
        var info = siginfo_t()
        while true {
            let code = waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT)
            if code == 0 { return info._sifields._sigchld.si_pid == pid }
            if errno == EINTR { continue }
            return true
        }
    }
}

/// `posix_spawn_file_actions_addchdir_np` (glibc 2.29+, musl 1.1.24+), looked up at run time because the C
/// module does not export it.
private enum SpawnChdir {
    typealias Function =
        @convention(c) (
            UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>
        ) -> Int32

    static let function: Function? = {
        guard let handle = dlopen(nil, RTLD_NOW),
            let symbol = dlsym(handle, "posix_spawn_file_actions_addchdir_np")
        else { return nil }
        return unsafeBitCast(symbol, to: Function.self)
    }()
}
