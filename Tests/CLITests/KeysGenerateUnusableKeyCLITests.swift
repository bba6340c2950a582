import Foundation
import TestFolders
import Testing

/// `keys generate` checks the passphrase against the installation's keys; when none of them opens here whatever the
/// passphrase (a DES-CBC file, which OpenSSL's default provider does not decrypt), it says so, naming the file and why,
/// instead of calling the right passphrase wrong (review of this session's fix of a key review finding).
@Suite struct KeysGenerateUnusableKeyCLITests {
    @Test func anUndecryptableInstallationKeyIsNamed() throws {
        let folder = try TemporaryDirectory("cli-keys-unusable")
        let real = try CLIRealInstallation(folder, keys: [("export", "export-signer")])
        let keyFile = folder.path + "/keys/export.key.pem"
        #expect(FileManager.default.fileExists(atPath: keyFile))
        let des = CLIRunner.packageRoot.appendingPathComponent("Tests/SigningTests/Fixtures/keys/ed25519-pbes2-des-cbc.key.pem")
        try FileManager.default.removeItem(atPath: keyFile)
        try FileManager.default.copyItem(atPath: des.path, toPath: keyFile)
        #expect(chmod(keyFile, 0o600) == 0)
        let r = try CLIRunner.run(["keys", "generate", "--trust", real.trust, "--name", "second", "--role", "export-signer",
                                   "--passphrase-file", real.passphraseFile])
        #expect(r.exitCode == 3, "\(r)")
        #expect(r.stderr.contains("no key of the installation opens here, whatever the passphrase") && r.stderr.contains("export.key.pem"), "\(r)")
        #expect(!r.stderr.contains("opens none of the installation's keys"), "\(r)")
    }
}
