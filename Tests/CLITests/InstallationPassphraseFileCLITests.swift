import Foundation
import TestFolders
import Testing

/// Every command that signs (audit checkpoints, consents) takes the keys' passphrase from `--passphrase-file`, as
/// `export` and `keys` do. Before, `serve`, `check`, `consent grant|withdraw|import` and `users add|disable|token|password`
/// read only `CONSENTGATE_PASSPHRASE`: with production keys and no passphrase they said "give --passphrase-file FILE or
/// set CONSENTGATE_PASSPHRASE", and given `--passphrase-file` they stopped with "unknown option" (exit 2), so `serve`
/// under systemd could not take its passphrase from `LoadCredential=` (found writing docs/going-live.md). The commands
/// that only read the installation (`consent show|list|verify|export`, `audit explain`) append when the trust store
/// changed since the last open (its `key-event` entries), and stopped the same way after a key was added.
@Suite struct InstallationPassphraseFileCLITests {
    static let signing: [[String]] = [["serve"], ["check"], ["consent", "grant"], ["consent", "withdraw"], ["consent", "import"],
                                      ["users", "add"], ["users", "disable"], ["users", "token"], ["users", "password"],
                                      ["consent", "show"], ["consent", "list"], ["consent", "verify"], ["consent", "export"],
                                      ["audit", "explain"]]

    @Test("every command that opens the installation lists --passphrase-file", arguments: signing)
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

        // A key added to the trust store: the next open logs it, so even `consent list` needs the passphrase, and takes it
        // from a file.
        let added = try CLIRunner.run(["keys", "generate", "--trust", trust, "--name", "export", "--role", "export-signer", "--passphrase-file", pass])
        #expect(added.exitCode == 0, "\(added)")
        let list = ["consent", "list", "--subject", "RSK-1"] + installation
        let listNone = try CLIRunner.run(list)
        #expect(listNone.exitCode == 2 && listNone.stderr.contains("--passphrase-file"), "\(listNone)")
        let listed = try CLIRunner.run(list + ["--passphrase-file", pass])
        #expect(listed.exitCode == 0, "\(listed)")
        #expect(try CLIRunner.run(list).exitCode == 0, "logged once, the change needs no key any more")
    }
}
