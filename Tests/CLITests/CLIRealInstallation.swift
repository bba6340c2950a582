import Foundation
import TestFolders
import Testing

/// A real (non-demo) installation for command-line tests, as an administrator makes one: keys made with
/// `consentgate keys generate` (encrypted with the passphrase in `passphraseFile`) into `keys/trust.yaml` of `folder`,
/// the database `data/cg.sqlite` (not created yet), the shipped policy.
struct CLIRealInstallation {
    /// `keys/trust.yaml`.
    let trust: String
    /// `data/cg.sqlite`.
    let db: String
    /// The file holding the keys' passphrase.
    let passphraseFile: String
    /// The shipped policy bundle.
    let policy = CLIRunner.packageRoot.appendingPathComponent("policies/kim-rhein-sieg").path
    /// `--db`, `--trust` and `--policy` of this installation (no passphrase option: tests give their own).
    var arguments: [String] { ["--db", db, "--trust", trust, "--policy", policy] }

    /// Makes one key per `(name, role)` (role as `keys generate --role` takes it); each must succeed.
    init(_ folder: TemporaryDirectory, keys: [(name: String, role: String)]) throws {
        trust = folder.path + "/keys/trust.yaml"
        db = folder.path + "/data/cg.sqlite"
        passphraseFile = folder.path + "/pass"
        try Data("eine lange Passphrase\n".utf8).write(to: URL(fileURLWithPath: passphraseFile))
        for key in keys { try generate(name: key.name, role: key.role) }
    }

    /// Adds a key to the trust store with `keys generate` (it must succeed).
    func generate(name: String, role: String) throws {
        let gen = try CLIRunner.run(["keys", "generate", "--trust", trust, "--name", name, "--role", role, "--passphrase-file", passphraseFile])
        try #require(gen.exitCode == 0, "\(gen)")
    }
}
