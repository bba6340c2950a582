import Foundation
import TestFolders
import Testing

/// Every command that signs (audit checkpoints, consents) takes the keys' passphrase from `--passphrase-file`, as
/// `export` and `keys` do. Before, `serve`, `check`, `consent grant|withdraw|import` and `users add|disable|token|password`
/// read only `CONSENTGATE_PASSPHRASE`: with production keys and no passphrase they said "give --passphrase-file FILE or
/// set CONSENTGATE_PASSPHRASE", and given `--passphrase-file` they stopped with "unknown option" (exit 2), so `serve`
/// under systemd could not take its passphrase from `LoadCredential=` (found writing docs/going-live.md).
@Suite struct InstallationPassphraseFileCLITests {
    static let signing: [[String]] = [["serve"], ["check"], ["consent", "grant"], ["consent", "withdraw"], ["consent", "import"],
                                      ["users", "add"], ["users", "disable"], ["users", "token"], ["users", "password"]]

    @Test("every command that signs lists --passphrase-file", arguments: signing)
    func helpListsTheOption(_ command: [String]) throws {
        let help = try CLIRunner.run(command + ["--help"])
        #expect(help.exitCode == 0 && help.stdout.contains("--passphrase-file <passphrase-file>"), "\(help)")
    }

    /// A production installation (own audit-log key, no demo key): the account is made with the passphrase from a file,
    /// without it the message names the option that now exists, and a passphrase file that is missing is named.
    @Test("users add and check open production keys with --passphrase-file")
    func productionKeysFromAFile() throws {
        let folder = try TemporaryDirectory("cli-passphrase-file")
        let trust = folder.path + "/keys/trust.yaml", db = folder.path + "/data/cg.sqlite", pass = folder.path + "/pass"
        try Data("eine lange Passphrase\n".utf8).write(to: URL(fileURLWithPath: pass))
        for role in ["audit-log", "consent-signer"] {
            let gen = try CLIRunner.run(["keys", "generate", "--trust", trust, "--name", role, "--role", role, "--passphrase-file", pass])
            #expect(gen.exitCode == 0, "\(gen)")
        }
        let policy = CLIRunner.packageRoot.appendingPathComponent("policies/kim-rhein-sieg").path
        let installation = ["--db", db, "--trust", trust, "--policy", policy]
        let none = try CLIRunner.run(["users", "add", "--name", "admin", "--role", "admin"] + installation)
        #expect(none.exitCode == 2 && none.stderr.contains("--passphrase-file"), "\(none)")
        let missing = try CLIRunner.run(["users", "add", "--name", "admin", "--role", "admin", "--passphrase-file", pass + "-nope"] + installation)
        #expect(missing.exitCode != 0 && missing.stderr.contains("pass-nope"), "\(missing)")
        let add = try CLIRunner.run(["users", "add", "--name", "admin", "--role", "admin", "--passphrase-file", pass] + installation)
        #expect(add.exitCode == 0 && add.stdout.contains("cg_"), "\(add)")
        let check = try CLIRunner.run(["check", "--subject", "RSK-1", "--partner", "jobcenter", "--purpose", "job-placement",
                                       "--fields", "name.family", "--passphrase-file", pass] + installation)
        #expect(check.exitCode == 0, "\(check)")
        let verify = try CLIRunner.run(["audit", "verify", "--db", db, "--trust", trust])
        #expect(verify.exitCode == 0, "\(verify)")
    }
}
