import Foundation
import TestFolders
import Testing

/// A command that records, run with a wrong passphrase where no database exists yet: it used to create the database
/// (and its folder and lock files), then fail on the audit-log key while logging `policy-loaded`, leaving an empty
/// installation behind that the next command took for the real one. Now the audit-log key of a new installation is
/// opened before anything is created; an existing database is never touched by the failure.
@Suite struct NewInstallationKeyCheckCLITests {
    static let commands: [[String]] = [
        ["check", "--subject", "RSK-1", "--partner", "jobcenter", "--purpose", "job-placement", "--fields", "name.family"],
        ["serve", "--host", "127.0.0.1", "--port", "0"],
        ["users", "add", "--name", "admin", "--role", "admin"],
    ]

    @Test(arguments: commands)
    func aWrongPassphraseCreatesNothing(_ command: [String]) throws {
        let folder = try TemporaryDirectory("cli-new-installation-key")
        let real = try CLIRealInstallation(folder, keys: [("audit-log", "audit-log"), ("consent-signer", "consent-signer")])
        let (trust, db, pass, installation) = (real.trust, real.db, real.passphraseFile, real.arguments)
        let data = (db as NSString).deletingLastPathComponent, wrong = folder.path + "/wrong"
        try Data("eine andere Passphrase\n".utf8).write(to: URL(fileURLWithPath: wrong))

        let failed = try CLIRunner.run(command + installation + ["--passphrase-file", wrong], timeout: 60)

        #expect(failed.exitCode != 0 && failed.stderr.contains("audit-log"), "\(failed)")
        #expect(!FileManager.default.fileExists(atPath: data), "no database, no -wal, no lock file, not even the folder")

        // With the right passphrase the installation is made; a wrong one later leaves it as it is.
        let made = try CLIRunner.run(Self.commands[0] + installation + ["--passphrase-file", pass])
        #expect(made.exitCode == 0, "\(made)")
        let size = try FileManager.default.attributesOfItem(atPath: db)[.size] as? Int
        let again = try CLIRunner.run(command + installation + ["--passphrase-file", wrong], timeout: 60)
        #expect(again.exitCode != 0, "\(again)")
        #expect(try FileManager.default.attributesOfItem(atPath: db)[.size] as? Int == size)
        let verify = try CLIRunner.run(["audit", "verify", "--db", db, "--trust", trust])
        #expect(verify.exitCode == 0, "\(verify)")
    }
}
