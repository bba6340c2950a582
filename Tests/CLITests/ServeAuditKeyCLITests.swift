import ChildProcess
import Foundation
import TestFolders
import Testing

/// `consentgate serve` on a production installation must be able to open its audit-log key before it listens: every
/// request that acts appends to the audit log. Before, `serve` without the passphrase (a `LoadCredential=` path mistyped,
/// `--passphrase-file` forgotten) started, answered `/health` with `ok` (so the monitoring saw a healthy service) and
/// refused every decision with 422 "keine Passphrase" (found writing docs/going-live.md). Now it stops at once, as an
/// export run does: no passphrase exit 2, a wrong one exit 3, naming the cause; nothing listens.
@Suite struct ServeAuditKeyCLITests {

    /// A production installation with its own audit-log key and one account (so its database exists).
    static func installation(_ folder: TemporaryDirectory) throws -> (arguments: [String], passphrase: String) {
        let trust = folder.path + "/keys/trust.yaml", db = folder.path + "/data/cg.sqlite", pass = folder.path + "/pass"
        try Data("eine lange Passphrase\n".utf8).write(to: URL(fileURLWithPath: pass))
        let gen = try CLIRunner.run(["keys", "generate", "--trust", trust, "--name", "audit", "--role", "audit-log", "--passphrase-file", pass])
        #expect(gen.exitCode == 0, "\(gen)")
        let policy = CLIRunner.packageRoot.appendingPathComponent("policies/kim-rhein-sieg").path
        let arguments = ["--db", db, "--trust", trust, "--policy", policy]
        let add = try CLIRunner.run(["users", "add", "--name", "admin", "--role", "admin", "--passphrase-file", pass] + arguments)
        #expect(add.exitCode == 0, "\(add)")
        return (arguments, pass)
    }

    @Test("serve without the passphrase, or with a wrong one, stops before it listens")
    func serveNeedsItsAuditKey() throws {
        let folder = try TemporaryDirectory("cli-serve-audit-key")
        let (arguments, pass) = try Self.installation(folder)
        let none = try CLIRunner.run(["serve", "--port", "0"] + arguments, timeout: 60)
        #expect(none.exitCode == 2 && none.stderr.contains("--passphrase-file") && !none.stdout.contains("http://"), "\(none)")
        let wrongFile = folder.path + "/wrong"
        try Data("eine falsche Passphrase\n".utf8).write(to: URL(fileURLWithPath: wrongFile))
        let wrong = try CLIRunner.run(["serve", "--port", "0", "--passphrase-file", wrongFile] + arguments, timeout: 60)
        #expect(wrong.exitCode == 3 && !wrong.stdout.contains("http://"), "\(wrong)")

        // With the passphrase it starts (and stops on SIGTERM).
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "CONSENTGATE_PASSPHRASE")
        let p = try Spawn.start(try CLIRunner.executableURL.path, ["serve", "--port", "0", "--passphrase-file", pass] + arguments,
                                environment: .exactly(env))
        defer { p.terminate(); _ = try? p.waitForExit(timeout: 20) }
        let printed = p.waitForStandardOutput(timeout: 60) { $0.contains("/  (") }
        #expect(printed.contains("http://127.0.0.1:"), "\(printed)\n\(String(decoding: p.capturedStandardError(), as: UTF8.self))")
    }
}
