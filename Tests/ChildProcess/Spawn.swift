import Foundation
import Glibc

/// Starts programs for the tests (and the benchmark tool) with `posix_spawn`, never with Foundation's `Process`.
///
/// Why: on Linux, `Process.run()` scans `/proc/self/fd` in `findMaximumOpenFromProcSelfFD()`, copying 256 bytes
/// per directory entry, and can read past glibc's buffer; it crashes intermittently (swift-corelibs-foundation
/// PR #5472, not in Swift 6.3.1) and crashed this project's CI once. `posix_spawn` needs none of that.
///
/// How: the standard streams of the child are `/dev/null`, inherited, or files; output to capture goes to a
/// temporary file that is read once the child has exited (or polled while it runs), so no pipe can fill up and
/// block either side. Every other descriptor of the test process is closed in the child (as `Process` does), so
/// no lock file or pipe of a concurrent test stays open in it. Signal mask and dispositions start at the defaults.
/// Linux (glibc) only, like the project's CI.
public enum Spawn {
    /// Runs `executable` with `arguments` (argv[1...]) to completion and returns its exit status and the output
    /// it was asked to capture.
    ///
    /// - Parameters:
    ///   - executable: a path (absolute, or relative to this process's folder); no `PATH` lookup — run
    ///     `/usr/bin/env` with the program's name as the first argument for that.
    ///   - environment: the child's variables (default: this process's).
    ///   - workingDirectory: the child's current folder (default: this process's).
    ///   - stdin: what the child reads (default: `/dev/null`).
    ///   - stdout, stderr: where its output goes (default: captured into the result).
    ///   - timeout: seconds after which the child is killed with SIGKILL and `SpawnError.timedOut` is thrown
    ///     (default: no limit).
    public static func run(_ executable: String, _ arguments: [String] = [], environment: Environment = .inherited,
                           workingDirectory: String? = nil, stdin: Input = .null, stdout: Output = .capture,
                           stderr: Output = .capture, timeout: Double? = nil) throws(SpawnError) -> SpawnResult {
        let child = try start(executable, arguments, environment: environment, workingDirectory: workingDirectory,
                              stdin: stdin, stdout: stdout, stderr: stderr)
        return try child.waitForExit(timeout: timeout)
    }

    /// Starts `executable` and returns at once with a handle to signal it, poll its captured output and wait for
    /// it: for tests that act while a second process runs (a lock holder, a child killed mid-run, a server).
    /// Parameters as for `run`. A handle dropped before its child was waited for kills (SIGKILL) and reaps it.
    public static func start(_ executable: String, _ arguments: [String] = [], environment: Environment = .inherited,
                             workingDirectory: String? = nil, stdin: Input = .null, stdout: Output = .capture,
                             stderr: Output = .capture) throws(SpawnError) -> SpawnedProcess {
        let command = describe(executable, arguments)
        if stdout == .standardOutput {
            throw .invalidRedirection(command: command, detail: "standard output cannot be redirected to itself")
        }
        if let workingDirectory {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: workingDirectory, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw .noSuchDirectory(command: command, directory: workingDirectory)
            }
        }
        try checkFiles(stdin, stdout, stderr, command: command)
        var needsFiles = stdout == .capture || stderr == .capture
        if case .bytes = stdin { needsFiles = true }
        let files = needsFiles ? try CaptureFiles(command: command) : nil
        do {
            let pid = try PosixSpawn.launch(executable, arguments, command: command, environment: environment,
                                            workingDirectory: workingDirectory,
                                            streams: try streams(stdin, stdout, stderr, files: files, command: command))
            return SpawnedProcess(pid: pid, command: command, files: files)
        } catch {
            files?.remove()
            throw error
        }
    }

    /// Checks the files named in `Input.file` / `Output.file` first: `posix_spawn` would report a missing one as
    /// ENOENT, which reads like a missing executable.
    static func checkFiles(_ stdin: Input, _ stdout: Output, _ stderr: Output, command: String) throws(SpawnError) {
        if case .file(let path) = stdin, access(path, R_OK) != 0 {
            throw .fileFailed(command: command, path: path, detail: "cannot read standard input: " + SpawnError.text(errno))
        }
        for case .file(let path) in [stdout, stderr] {
            let folder = (path as NSString).deletingLastPathComponent
            if access(folder.isEmpty ? "." : folder, W_OK) != 0 {
                throw .fileFailed(command: command, path: path, detail: "cannot write output there: " + SpawnError.text(errno))
            }
        }
    }

    /// What to do with descriptors 0, 1 and 2 of the child, in order; writes `.bytes` input to its file first.
    static func streams(_ stdin: Input, _ stdout: Output, _ stderr: Output, files: CaptureFiles?,
                        command: String) throws(SpawnError) -> [PosixSpawn.Stream] {
        var plan: [PosixSpawn.Stream] = []
        switch stdin {
        case .null: plan.append(.open(0, "/dev/null", O_RDONLY))
        case .inherit: break
        case .file(let path): plan.append(.open(0, path, O_RDONLY))
        case .bytes(let bytes):
            guard let files else { preconditionFailure("bytes input needs the capture files") }
            try files.writeInput(bytes)
            plan.append(.open(0, files.input, O_RDONLY))
        }
        for (fd, output) in [(Int32(1), stdout), (Int32(2), stderr)] {
            switch output {
            case .null: plan.append(.open(fd, "/dev/null", O_WRONLY))
            case .inherit: break
            case .file(let path): plan.append(.open(fd, path, O_WRONLY | O_CREAT | O_TRUNC))
            case .capture:
                guard let files else { preconditionFailure("captured output needs the capture files") }
                plan.append(.open(fd, fd == 1 ? files.stdout : files.stderr, O_WRONLY | O_CREAT | O_TRUNC))
            case .standardOutput: plan.append(.duplicate(1, onto: fd))
            }
        }
        return plan
    }

    /// The command line for messages: the executable and its arguments, quoted where they hold spaces or quotes,
    /// each cut to 100 characters (inline scripts would drown the message).
    static func describe(_ executable: String, _ arguments: [String]) -> String {
        ([executable] + arguments).map { word in
            let short = word.count > 100 ? String(word.prefix(100)) + "…" : word
            guard short.isEmpty || short.contains(where: { $0 == " " || $0 == "'" || $0 == "\"" || $0 == "\n" }) else { return short }
            return "'" + short.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }.joined(separator: " ")
    }
}
