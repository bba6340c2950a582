import Foundation

extension Spawn {
    /// How a child ended.
    public enum Termination: Sendable, Equatable, CustomStringConvertible {
        /// It called `exit` with this code (0...255).
        case exited(Int32)
        /// A signal (e.g. SIGKILL = 9) ended it.
        case signalled(Int32)

        /// The shell's convention in one number: the exit code, or 128 + the signal.
        public var status: Int32 {
            switch self {
            case .exited(let code): code
            case .signalled(let signal): 128 + signal
            }
        }

        /// The exit code, or nil when a signal ended the child.
        public var exitCode: Int32? { if case .exited(let code) = self { code } else { nil } }

        /// The signal that ended the child, or nil when it exited.
        public var signal: Int32? { if case .signalled(let signal) = self { signal } else { nil } }

        /// Decodes a `waitpid` status (WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import as macros).
        init(waitStatus: Int32) {
            let signal = waitStatus & 0x7F
            self = signal == 0 ? .exited((waitStatus >> 8) & 0xFF) : .signalled(signal)
        }

        /// "exit 3" or "signal 9", for messages.
        public var description: String {
            switch self {
            case .exited(let code): "exit \(code)"
            case .signalled(let signal): "signal \(signal)"
            }
        }
    }
}

/// What a finished child did: how it ended and the output it was asked to capture.
public struct SpawnResult: Sendable, CustomStringConvertible {
    /// The command line, for messages.
    public let command: String
    /// How the child ended.
    public let termination: Spawn.Termination
    /// Its standard output, when captured (`Spawn.Output.capture`); empty otherwise.
    public let stdout: Data
    /// Its standard error, when captured; empty otherwise (also when it went to standard output).
    public let stderr: Data

    /// The exit code, or 128 + the signal that ended the child.
    public var status: Int32 { termination.status }
    /// The captured standard output as UTF-8 text (invalid sequences replaced).
    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    /// The captured standard error as UTF-8 text (invalid sequences replaced).
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }

    /// Command, termination and both streams, for test failure messages.
    public var description: String { "\(command): \(termination)\n--- stdout\n\(stdoutText)\n--- stderr\n\(stderrText)" }
}
