import Foundation

extension Spawn {
    /// What the child reads on standard input.
    public enum Input: Sendable, Equatable {
        /// `/dev/null`: the child reads end of file at once (the default, so no child can wait on a terminal).
        case null
        /// This process's standard input.
        case inherit
        /// The file at this path, read from its start.
        case file(String)
        /// These bytes, written to a temporary file first (so feeding a large input cannot block on a pipe).
        case bytes([UInt8])

        /// `text` as UTF-8 bytes.
        public static func text(_ text: String) -> Input { .bytes(Array(text.utf8)) }
        /// The bytes of `data`.
        public static func data(_ data: Data) -> Input { .bytes(Array(data)) }
    }

    /// Where the child's standard output or standard error goes.
    public enum Output: Sendable, Equatable {
        /// Into a temporary file, returned as `SpawnResult.stdout` / `.stderr` once the child has exited, and
        /// readable while it runs (`SpawnedProcess.capturedStandardOutput()`). The default.
        case capture
        /// `/dev/null`.
        case null
        /// This process's stream of the same number (the test log).
        case inherit
        /// The file at this path, created or truncated (mode 0644 before the umask).
        case file(String)
        /// For standard error only: wherever standard output goes (`2>&1`), so both arrive interleaved in one
        /// capture.
        case standardOutput
    }

    /// The child's environment variables.
    public struct Environment: Sendable, Equatable {
        /// The complete set, or nil for this process's own environment at launch.
        let variables: [String: String]?

        /// This process's environment, unchanged (the default).
        public static let inherited = Environment(variables: nil)

        /// This process's environment with `overrides` added or replacing variables of the same name.
        public static func inherited(overriding overrides: [String: String]) -> Environment {
            Environment(variables: ProcessInfo.processInfo.environment.merging(overrides) { _, new in new })
        }

        /// Exactly `variables`, nothing inherited.
        public static func exactly(_ variables: [String: String]) -> Environment { Environment(variables: variables) }
    }
}
