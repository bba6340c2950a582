import ChildProcess
import Foundation
import Testing

/// Fixture files, temporary folders and subprocesses (the stock `openssl` CLI, Python) for the tests.
enum TestSupport {
    /// `Tests/SigningTests/Fixtures` as copied into the test bundle.
    static var fixtures: URL {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
    }

    /// The package root (three levels above this file), for the shipped `keys/`.
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }

    /// A fixture file's URL.
    static func fixture(_ path: String) -> URL { fixtures.appendingPathComponent(path) }

    /// A fresh temporary folder, removed by the caller with `cleanup`.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("signing-tests-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The result of a subprocess.
    struct ProcessResult {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs `executable` (searched in PATH) with `arguments`; stdout and stderr go to files, so no pipe can
    /// fill up and block.
    static func run(_ executable: String, _ arguments: [String], stdin: [UInt8]? = nil) throws -> ProcessResult {
        let result = try Spawn.run("/usr/bin/env", [executable] + arguments, stdin: stdin.map { .bytes($0) } ?? .null)
        return ProcessResult(status: result.status, stdout: result.stdoutText, stderr: result.stderrText)
    }

    /// Runs the stock `openssl` command and expects success.
    @discardableResult
    static func openssl(_ arguments: [String], stdin: [UInt8]? = nil) throws -> String {
        let r = try run("openssl", arguments, stdin: stdin)
        try #require(r.status == 0, "openssl \(arguments.joined(separator: " ")) failed: \(r.stderr)")
        return r.stdout
    }

    /// Writes bytes to a file in `dir` and returns its path.
    static func write(_ bytes: [UInt8], _ name: String, in dir: URL) throws -> String {
        let url = dir.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    /// The bytes with one bit flipped at `index` (negative counts from the end).
    static func flipBit(_ bytes: [UInt8], at index: Int, bit: Int = 0) -> [UInt8] {
        var copy = bytes
        let i = index >= 0 ? index : bytes.count + index
        copy[i] ^= UInt8(1 << bit)
        return copy
    }
}
