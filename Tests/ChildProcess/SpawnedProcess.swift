import Foundation
import Glibc

/// A started child (`Spawn.start`): its pid, signals, its captured output so far, and waiting for it.
///
/// Sendable: the exit status is read (and the child reaped) under a lock, and signals are sent under the same lock
/// only while the child is not yet reaped, so a signal can never reach another process that reused the pid.
/// When the handle goes away with the child still unreaped (a test that failed half-way), the child is killed
/// with SIGKILL and reaped, and its temporary files are deleted: no stray process, no zombie. Swift may release
/// a handle right after its last use, so a child that must keep running (a lock holder) needs a later use, such
/// as `defer { child.terminate() }`.
public final class SpawnedProcess: @unchecked Sendable {
    /// The child's process id.
    public let pid: pid_t
    /// The command line, for messages.
    public let command: String
    /// The temporary files of `.bytes` input and captured output; nil when there are none.
    private let files: CaptureFiles?
    /// Guards `ended` and the `waitpid` / `kill` calls.
    private let lock = NSLock()
    /// How the child ended, once reaped.
    private var ended: Spawn.Termination?

    /// Wraps a child `PosixSpawn.launch` just started.
    init(pid: pid_t, command: String, files: CaptureFiles?) {
        self.pid = pid
        self.command = command
        self.files = files
    }

    deinit {
        if ended == nil {
            _ = Glibc.kill(pid, SIGKILL)
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        }
        files?.remove()
    }

    /// True until the child has ended (it is reaped by this check once it has).
    public var isRunning: Bool {
        do { return try poll() == nil } catch { return false }
    }

    /// Asks the child to stop: SIGTERM. Does nothing once it has ended.
    public func terminate() { kill(SIGTERM) }

    /// Sends `signal` (default SIGKILL) to the child. Does nothing once it has ended.
    public func kill(_ signal: Int32 = SIGKILL) {
        lock.withLock {
            if ended == nil { _ = Glibc.kill(pid, signal) }
        }
    }

    /// Waits until the child ends and returns how, with its captured output. Can be called again (same result).
    /// - Parameter timeout: seconds after which the child is killed with SIGKILL and `SpawnError.timedOut` is
    ///   thrown; nil waits as long as it takes.
    public func waitForExit(timeout: Double? = nil) throws(SpawnError) -> SpawnResult {
        let deadline = timeout.map { ContinuousClock.now + .seconds($0) }
        var pause = Pause()
        while true {
            if let termination = try poll() {
                return SpawnResult(command: command, termination: termination,
                                   stdout: try read(\.stdout), stderr: try read(\.stderr))
            }
            if let deadline, ContinuousClock.now >= deadline {
                kill(SIGKILL)
                while try poll() == nil { pause.sleep() }
                throw .timedOut(command: command, seconds: timeout ?? 0)
            }
            pause.sleep()
        }
    }

    /// The standard output captured so far (all of it once the child has ended); empty when not captured.
    public func capturedStandardOutput() -> Data { (try? read(\.stdout)) ?? Data() }

    /// The standard error captured so far; empty when not captured.
    public func capturedStandardError() -> Data { (try? read(\.stderr)) ?? Data() }

    /// The capture file `which` as it is now; empty when there are no capture files.
    private func read(_ which: KeyPath<CaptureFiles, String>) throws(SpawnError) -> Data {
        guard let files else { return Data() }
        return try files.read(files[keyPath: which])
    }

    /// Polls the captured standard output until `done` accepts it (e.g. a line the child prints once it is ready),
    /// the child ends (then: all it wrote), or `timeout` seconds pass (then: what it wrote so far); returns it as
    /// UTF-8 text. The caller's assertions judge the text: this never throws.
    public func waitForStandardOutput(timeout: Double? = nil, until done: (String) -> Bool) -> String {
        let deadline = timeout.map { ContinuousClock.now + .seconds($0) }
        var pause = Pause()
        while true {
            let text = String(decoding: capturedStandardOutput(), as: UTF8.self)
            if done(text) { return text }
            if !isRunning { return String(decoding: capturedStandardOutput(), as: UTF8.self) }
            if let deadline, ContinuousClock.now >= deadline { return text }
            pause.sleep()
        }
    }

    /// Reaps the child if it has ended (`waitpid` with WNOHANG) and returns how it ended, or nil while it runs.
    private func poll() throws(SpawnError) -> Spawn.Termination? {
        lock.lock()
        defer { lock.unlock() }
        if let ended { return ended }
        var status: Int32 = 0
        while true {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid {
                ended = Spawn.Termination(waitStatus: status)
                return ended
            }
            if r == 0 { return nil }
            if errno != EINTR { throw .waitFailed(command: command, errno: errno) }
        }
    }
}

/// The sleep between two polls: 0.1 ms at first (a short child is seen at once), doubling up to 5 ms (a long one
/// costs little CPU).
struct Pause {
    /// The next sleep in microseconds.
    private var micros: UInt32 = 100
    /// Sleeps, then lengthens the next sleep.
    mutating func sleep() {
        usleep(micros)
        micros = min(micros * 2, 5_000)
    }
}
