#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Starts a program with `posix_spawn` and waits for it, with standard input, output and error redirected to
/// files. Why not Foundation's `Process`: on Linux its `run()` reads `/proc/self/fd` with a 256-byte copy of
/// each directory entry and crashes intermittently (swift-corelibs-foundation PR #5472: "Process.run() on Linux
/// crashes intermittently — buffer over-read in findMaximumOpenFromProcSelfFD()"); CI hit it once the CLI tests
/// launched a few hundred processes.
enum Spawn {
    /// Runs `executable` with `arguments` (without argv[0]) and `environment` in `directory`; kills it after
    /// `timeout` seconds. Returns the exit code, or 128 + the signal for a process killed by a signal.
    static func run(_ executable: String, _ arguments: [String], environment: [String: String], directory: String,
                    stdin: String, stdout: String, stderr: String, timeout: TimeInterval) throws -> (status: Int32, timedOut: Bool) {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        // The working directory: GNU env changes to it and then executes the program (Swift's Glibc module
        // does not import posix_spawn_file_actions_addchdir_np).
        let argv = (["/usr/bin/env", "-C", directory, executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for p in argv + envp { free(p) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, "/usr/bin/env", &actions, nil, argv, envp)
        guard rc == 0 else { throw SpawnError.failed(executable, rc) }

        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        while true {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid { break }
            if r < 0 && errno != EINTR { throw SpawnError.failed(executable, errno) }
            if Date() > deadline {
                kill(pid, SIGKILL)
                _ = waitpid(pid, &status, 0)
                return (128 + SIGKILL, true)
            }
            usleep(5_000)
        }
        // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import as macros.
        let signal = status & 0x7F
        return (signal == 0 ? (status >> 8) & 0xFF : 128 + signal, false)
    }
}

/// A program that could not be started.
enum SpawnError: Error, CustomStringConvertible {
    case failed(String, Int32)
    var description: String {
        switch self { case let .failed(path, code): "cannot start \(path): \(String(cString: strerror(code)))" }
    }
}
