import ChildProcess
import Foundation
import Testing

/// `Spawn.start`: a child that runs while the test acts — signals, `isRunning`, output polled while it runs.
@Suite struct SpawnedProcessTests {
    @Test("a started child runs until killed; SIGKILL gives 128 + 9")
    func killRunningChild() throws {
        let child = try Spawn.start("/bin/sleep", ["30"])
        #expect(child.pid > 0)
        #expect(child.isRunning)
        child.kill()
        let result = try child.waitForExit(timeout: 60)
        #expect(result.termination == .signalled(SIGKILL))
        #expect(result.status == 137)
        #expect(!child.isRunning)
        #expect(try child.waitForExit().termination == .signalled(SIGKILL), "waiting again gives the same answer")
        child.kill(SIGTERM)  // after the end: nothing happens
    }

    @Test("terminate sends SIGTERM; a child that handles it exits on its own terms")
    func terminate() throws {
        let plain = try Spawn.start("/bin/sleep", ["30"])
        plain.terminate()
        #expect(try plain.waitForExit(timeout: 60).termination == .signalled(SIGTERM))
        let handling = try Spawn.start("/bin/sh", ["-c", "trap 'echo bye; exit 7' TERM; echo ready; while :; do sleep 0.05; done"])
        #expect(handling.waitForStandardOutput(timeout: 60) { $0.contains("ready\n") } == "ready\n")
        handling.terminate()
        let result = try handling.waitForExit(timeout: 60)
        #expect(result.termination == .exited(7))
        #expect(result.stdoutText == "ready\nbye\n")
    }

    @Test("output is readable while the child runs, and all of it once it has ended")
    func outputWhileRunning() throws {
        let child = try Spawn.start("/bin/sh", ["-c", "echo first; echo 'to stderr' >&2; read line; echo \"got $line\""],
                                    stdin: .text("input\n"))
        let seen = child.waitForStandardOutput(timeout: 60) { $0.hasSuffix("\n") }
        #expect(seen.hasPrefix("first\n"))
        let result = try child.waitForExit(timeout: 60)
        #expect(result.stdoutText == "first\ngot input\n")
        #expect(result.stderrText == "to stderr\n")
        #expect(child.capturedStandardOutput() == result.stdout)
        #expect(child.capturedStandardError() == result.stderr)
    }

    @Test("waiting for output gives up at the timeout with what is there, or at the child's end with all of it")
    func outputWaitEnds() throws {
        let quiet = try Spawn.start("/bin/sleep", ["30"])
        let start = ContinuousClock.now
        #expect(quiet.waitForStandardOutput(timeout: 0.2) { !$0.isEmpty } == "")
        #expect(ContinuousClock.now - start >= .milliseconds(200))
        quiet.kill()
        let short = try Spawn.start("/bin/sh", ["-c", "echo only"])
        #expect(short.waitForStandardOutput { $0.contains("never") } == "only\n")
    }

    @Test("waitForExit's timeout kills the child")
    func waitTimeout() throws {
        let child = try Spawn.start("/bin/sleep", ["30"])
        let error = #expect(throws: SpawnError.self) { try child.waitForExit(timeout: 0.2) }
        #expect(error == .timedOut(command: "/bin/sleep 30", seconds: 0.2))
        #expect(!child.isRunning)
        #expect(try child.waitForExit().termination == .signalled(SIGKILL))
    }

    @Test("a handle dropped while its child runs kills and reaps it")
    func droppedHandleKillsChild() throws {
        var pid: pid_t = 0
        do {
            let child = try Spawn.start("/bin/sleep", ["30"])
            pid = child.pid
            #expect(child.isRunning)
        }
        // Reaped: the pid is no longer a child of this process (a zombie would still be).
        var status: Int32 = 0
        #expect(waitpid(pid, &status, WNOHANG) == -1 && errno == ECHILD)
    }

    @Test("the handle can be shared across threads: one waits, another kills")
    func sharedAcrossThreads() throws {
        let child = try Spawn.start("/bin/sleep", ["300"])
        let outcome = Outcome()
        // A thread of its own, not a task: a blocked cooperative pool (2 threads on 2 cores) must not delay it.
        Thread.detachNewThread {
            outcome.set(try? child.waitForExit(timeout: 120).termination)
        }
        usleep(50_000)
        child.kill()
        #expect(outcome.done.wait(timeout: .now() + 120) == .success)
        #expect(outcome.termination == .signalled(SIGKILL))
    }
}

/// What the waiting thread of `sharedAcrossThreads` saw, handed over under a lock.
final class Outcome: @unchecked Sendable {
    /// Signalled once `termination` is set.
    let done = DispatchSemaphore(value: 0)
    /// Guards `value`.
    private let lock = NSLock()
    /// How the child ended, as the waiting thread saw it (nil: waiting failed).
    private var value: Spawn.Termination?

    /// Stores how the child ended and signals `done`.
    func set(_ termination: Spawn.Termination?) {
        lock.withLock { value = termination }
        done.signal()
    }

    /// How the child ended, once `done` was signalled.
    var termination: Spawn.Termination? { lock.withLock { value } }
}
