import Foundation
import Memory
import Testing

@testable import Phases

@Suite(.timeLimit(.minutes(1))) struct RunShellToolTests {
    @Test func runShell_showsOutputAndExitCode() async throws {
        let fixture = try ToolFixture()
        defer { fixture.remove() }
        try fixture.write("hello.txt", "hi there\n")
        let ok = try await call("run_shell", ["command": "cat hello.txt; echo err >&2; pwd"], in: fixture)
        #expect(!ok.isError)
        #expect(ok.text.hasPrefix("$ cat hello.txt; echo err >&2; pwd\nhi there\nerr\n\(fixture.root)\n"))
        #expect(ok.text.hasSuffix("[exit code 0]"), "no duration in the text the model sees")
        #expect(ok.metadata["duration_ms"]?.intValue != nil)
        #expect(ok.metadata["exit_code"] == 0)
        let failing = try await call("run_shell", ["command": "exit 3"], in: fixture)
        #expect(!failing.isError)
        #expect(failing.metadata["exit_code"] == 3)
        #expect(failing.text.contains("(no output)") && failing.text.contains("[exit code 3"))
    }

    @Test func runShell_capsOutput_keepingHeadAndTail() async throws {
        let fixture = try ToolFixture()
        defer { fixture.remove() }
        var shell = ShellSettings()
        shell.outputLimit = 2000
        let output = try await call(
            "run_shell", ["command": "echo FIRST; seq 1 100000; echo LAST"], in: fixture,
            context: fixture.context(shell: shell))
        #expect(output.truncated)
        #expect(output.text.count < 2300)
        #expect(output.text.contains("FIRST") && output.text.contains("LAST"))
        #expect(output.text.contains("omitted"))
        #expect(output.fullTextLength > 500_000)
    }

    @Test func runShell_timeout_killsTheWholeProcessGroup() async throws {
        let fixture = try ToolFixture()
        defer { fixture.remove() }
        let started = PIDBox()
        let request = ProcessRequest(
            executable: "/bin/bash", arguments: ["-c", "sleep 30 & sleep 30; wait"], directory: fixture.root,
            environment: ProcessEnvironment.inherited(), timeout: 0.5, killGrace: 1)
        let clock = ContinuousClock.now
        let result = try await ProcessRunner.run(request, onStart: { started.set($0) })
        #expect(result.timedOut)
        #expect(result.processGroup == started.pid)
        #expect(ContinuousClock.now - clock < .seconds(10))
        #expect(kill(-result.processGroup, 0) != 0 || ProcessTable.liveMembers(ofGroup: result.processGroup).isEmpty)
        #expect(
            await ProcessTable.eventually(within: 3) { ProcessTable.liveMembers(ofGroup: result.processGroup).isEmpty })
    }

    @Test func runShell_timeout_escalatesToSIGKILL_whenTERMIsIgnored() async throws {
        let fixture = try ToolFixture()
        defer { fixture.remove() }
        let request = ProcessRequest(
            executable: "/bin/bash", arguments: ["-c", "trap '' TERM; sleep 30 & sleep 30; wait"],
            directory: fixture.root, environment: ProcessEnvironment.inherited(), timeout: 0.3, killGrace: 0.3)
        let result = try await ProcessRunner.run(request)
        #expect(result.timedOut)
        #expect(result.signal == SIGKILL)
        #expect(
            await ProcessTable.eventually(within: 3) { ProcessTable.liveMembers(ofGroup: result.processGroup).isEmpty })
    }

    @Test func runShell_timeoutThroughTheTool_isAnErrorOutput() async throws {
        let fixture = try ToolFixture()
        defer { fixture.remove() }
        var shell = ShellSettings()
        shell.killGrace = 0.2
        let output = try await call(
            "run_shell", ["command": "echo started; sleep 30", "timeout_seconds": 1], in: fixture,
            context: fixture.context(shell: shell))
        #expect(output.isError)
        #expect(output.metadata["timed_out"] == true)
        #expect(output.text.contains("started") && output.text.contains("timed out after 1 s"))
    }

    @Test func runShell_taskCancellation_killsTheGroup() async throws {
        let fixture = try ToolFixture()
        defer { fixture.remove() }
        let started = PIDBox()
        let request = ProcessRequest(
            executable: "/bin/bash", arguments: ["-c", "sleep 30 & sleep 30; wait"], directory: fixture.root,
            environment: ProcessEnvironment.inherited(), timeout: 60, killGrace: 1)
        let task = Task { try await ProcessRunner.run(request, onStart: { started.set($0) }) }
        #expect(await ProcessTable.eventually(within: 5) { started.pid != 0 })
        #expect(await ProcessTable.eventually(within: 5) { ProcessTable.liveMembers(ofGroup: started.pid).count >= 2 })
        task.cancel()
        let result = try await task.value
        #expect(result.cancelled)
        #expect(await ProcessTable.eventually(within: 3) { ProcessTable.liveMembers(ofGroup: started.pid).isEmpty })
    }

    @Test func runShell_runCancellation_throwsAfterKilling() async throws {
        let fixture = try ToolFixture()
        defer { fixture.remove() }
        let cancellation = CancellationSource()
        let context = fixture.context(isCancelled: { cancellation.isCancelled })
        Task {
            try await Task.sleep(nanoseconds: 300_000_000)
            cancellation.cancel(.sigint)
        }
        await #expect(throws: CancellationError.self) {
            _ = try await ToolRegistry.standard().call("run_shell", input: ["command": "sleep 30"], context: context)
        }
    }

    @Test func runShell_environment_hidesSecrets() async throws {
        let fixture = try ToolFixture()
        defer { fixture.remove() }
        var shell = ShellSettings()
        var environment = ProcessEnvironment.inherited()
        environment["VISIBLE"] = "yes"
        shell.environment = environment
        let output = try await call(
            "run_shell", ["command": "echo $VISIBLE; echo ${PAGER}"], in: fixture,
            context: fixture.context(shell: shell))
        #expect(output.text.contains("yes\ncat\n"))
        #expect(ProcessEnvironment.isSecret("ANTHROPIC_API_KEY"))
        #expect(ProcessEnvironment.isSecret("GITHUB_TOKEN"))
        #expect(ProcessEnvironment.isSecret("RAAID_API_KEY"))
        #expect(!ProcessEnvironment.isSecret("PATH"))
    }

    @Test func runTests_runsTheConfiguredCommand_withArguments() async throws {
        let fixture = try ToolFixture()
        defer { fixture.remove() }
        var shell = ShellSettings()
        shell.testCommand = "echo testing"
        let output = try await call(
            "run_tests", ["arguments": "--filter Foo"], in: fixture, context: fixture.context(shell: shell))
        #expect(output.text.hasPrefix("$ echo testing --filter Foo\ntesting --filter Foo\n"))
        let unconfigured = try await call("run_tests", [:], in: fixture)
        #expect(unconfigured.isError && unconfigured.metadata["error_code"] == "unavailable")
    }

    @Test func runShell_missingShell_isASpawnError() async throws {
        let fixture = try ToolFixture()
        defer { fixture.remove() }
        var shell = ShellSettings()
        shell.shellPath = "/nonexistent/bash"
        let output = try await call(
            "run_shell", ["command": "true"], in: fixture, context: fixture.context(shell: shell))
        #expect(output.isError && output.metadata["error_code"] == "spawn_failed")
    }
}
