import ChildProcess
import Foundation
import Testing

/// What one run of the `consentgate` binary produced.
struct CLIResult: Sendable, CustomStringConvertible {
    /// The process exit code (CONTRACTS §8: 0 ok, 1 denied, 2 usage, 3 invalid input, 4 integrity, 5 storage).
    let exitCode: Int32
    /// Standard output, raw.
    let stdoutBytes: [UInt8]
    /// Standard error, raw.
    let stderrBytes: [UInt8]

    /// Standard output as UTF-8 text.
    var stdout: String { String(decoding: stdoutBytes, as: UTF8.self) }
    /// Standard error as UTF-8 text.
    var stderr: String { String(decoding: stderrBytes, as: UTF8.self) }

    /// Standard output parsed as a JSON object (for `--json` commands); nil when it is not one.
    var json: [String: Any]? { try? JSONSerialization.jsonObject(with: Data(stdoutBytes)) as? [String: Any] }

    /// Exit code and both streams, for test failure messages.
    var description: String { "exit \(exitCode)\n--- stdout\n\(stdout)\n--- stderr\n\(stderr)" }
}

/// Runs the built `consentgate` executable as a user would: with arguments, environment, standard input and a
/// working directory. Shared by every CLI test.
///
/// The binary is found, in order: `$CONSENTGATE_BIN`; next to this test target's resource bundle (the build
/// products folder of the running configuration, e.g. `.build/debug`); `<package>/.build/debug`.
/// `swift build --build-tests` / `swift test` build it along with the tests.
enum CLIRunner {

    /// The package root (two folders above this file's folder).
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `consentgate` executable.
    static var executableURL: URL {
        get throws {
            var candidates: [URL] = []
            if let env = ProcessInfo.processInfo.environment["CONSENTGATE_BIN"] { candidates.append(URL(fileURLWithPath: env)) }
            if let bundle = Bundle.module.resourceURL {
                candidates.append(bundle.deletingLastPathComponent().appendingPathComponent("consentgate"))
            }
            candidates.append(packageRoot.appendingPathComponent(".build/debug/consentgate"))
            for url in candidates where FileManager.default.isExecutableFile(atPath: url.path) { return url }
            throw CLIRunnerError.binaryNotFound(candidates.map(\.path))
        }
    }

    /// Runs `consentgate arguments…`.
    /// - Parameters:
    ///   - environment: added to (and overriding) the inherited environment. `CONSENTGATE_LANG` defaults to `en`
    ///     so messages are predictable; `CONSENTGATE_PASSPHRASE` is removed unless given here.
    ///   - stdin: bytes fed to standard input (default: empty input).
    ///   - workingDirectory: the process's current folder (default: the package root).
    ///   - timeout: seconds before the process is killed and the test fails.
    ///   - standardOutput: a file the shell redirects standard output to (`> path`, e.g. `/dev/full`) instead of
    ///     capturing it; the result's `stdout` is then empty.
    static func run(_ arguments: [String], environment: [String: String] = [:], stdin: [UInt8] = [],
                    workingDirectory: URL? = nil, timeout: TimeInterval = 120,
                    standardOutput: String? = nil) throws -> CLIResult {
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "CONSENTGATE_PASSPHRASE")
        env["CONSENTGATE_LANG"] = "en"
        env.merge(environment) { _, new in new }

        var executable = try executableURL.path
        var arguments = arguments
        if let standardOutput {
            env["CONSENTGATE_TEST_STDOUT"] = standardOutput
            arguments = ["-c", #"exec "$0" "$@" > "$CONSENTGATE_TEST_STDOUT""#, executable] + arguments
            executable = "/bin/sh"
        }
        let result: SpawnResult
        do {
            result = try Spawn.run(executable, arguments, environment: .exactly(env),
                                   workingDirectory: (workingDirectory ?? packageRoot).path, stdin: .bytes(stdin),
                                   timeout: timeout)
        } catch {
            if case .timedOut = error { throw CLIRunnerError.timedOut(arguments, timeout) }
            throw error
        }
        return CLIResult(exitCode: result.status, stdoutBytes: [UInt8](result.stdout), stderrBytes: [UInt8](result.stderr))
    }

    /// A fresh temporary folder for a test's files (remove it with `FileManager.removeItem`).
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("cli-test-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs another program (e.g. `openssl`) found in PATH, for cross-checking what the CLI wrote.
    static func runTool(_ tool: String, _ arguments: [String], workingDirectory: URL? = nil) throws -> CLIResult {
        let result = try Spawn.run("/usr/bin/env", [tool] + arguments, workingDirectory: (workingDirectory ?? packageRoot).path,
                                   timeout: 120)
        return CLIResult(exitCode: result.status, stdoutBytes: [UInt8](result.stdout), stderrBytes: [UInt8](result.stderr))
    }
}

/// Why the runner could not run the binary.
enum CLIRunnerError: Error, CustomStringConvertible {
    case binaryNotFound([String])
    case timedOut([String], TimeInterval)

    var description: String {
        switch self {
        case let .binaryNotFound(paths):
            return "consentgate binary not found (run `swift build --build-tests` first); looked at: \(paths.joined(separator: ", "))"
        case let .timedOut(args, t): return "consentgate \(args.joined(separator: " ")) did not finish within \(Int(t)) s"
        }
    }
}
