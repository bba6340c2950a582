import Glibc

/// Why a child could not be started, waited for, or read; each case names the command line.
public enum SpawnError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `posix_spawn` failed with this errno, e.g. ENOENT for a missing executable, EACCES for one not executable.
    case cannotStart(command: String, errno: Int32)
    /// The working directory does not exist (checked first: `posix_spawn` would report it as ENOENT, which reads
    /// like a missing executable).
    case noSuchDirectory(command: String, directory: String)
    /// This C library lacks a `posix_spawn` feature the launch needs (`function`, e.g. glibc < 2.29 has no
    /// `posix_spawn_file_actions_addchdir_np`).
    case unsupported(command: String, function: String)
    /// A stream redirection that makes no sense (standard output sent to itself).
    case invalidRedirection(command: String, detail: String)
    /// A file for standard input or output — named in `Spawn.Input.file` / `Spawn.Output.file`, or a temporary
    /// one for `.bytes` input and captured output — could not be created, written or read.
    case fileFailed(command: String, path: String, detail: String)
    /// `waitpid` failed with this errno.
    case waitFailed(command: String, errno: Int32)
    /// The child ran longer than `seconds` and was killed with SIGKILL.
    case timedOut(command: String, seconds: Double)

    /// One line naming the command and the cause, with the errno's text where there is one.
    public var description: String {
        switch self {
        case let .cannotStart(command, code): "cannot start \(command): \(Self.text(code))"
        case let .noSuchDirectory(command, directory): "cannot start \(command): no directory \(directory) to run it in"
        case let .unsupported(command, function): "cannot start \(command): this C library has no \(function)"
        case let .invalidRedirection(command, detail): "cannot start \(command): \(detail)"
        case let .fileFailed(command, path, detail): "\(command): file \(path): \(detail)"
        case let .waitFailed(command, code): "cannot wait for \(command): \(Self.text(code))"
        case let .timedOut(command, seconds): "\(command) did not finish within \(seconds) s and was killed"
        }
    }

    /// `strerror`'s text and the number, e.g. "No such file or directory (errno 2)".
    static func text(_ code: Int32) -> String { "\(String(cString: strerror(code))) (errno \(code))" }
}
