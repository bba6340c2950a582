import Foundation
import Testing

/// `keys generate --role audit-log --algorithm p256` made a key that can never sign a checkpoint (C2SP signed notes
/// are Ed25519, CONTRACTS §6) and put it in the trust store as the newest `audit-log` key. Now it is a usage error
/// (exit 2) in the user's language, before anything is written.
@Suite struct KeysAuditLogAlgorithmCLITests {
    @Test(arguments: ["en", "de"])
    func aP256AuditLogKeyIsRefusedUpFront(lang: String) throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("correct horse battery staple\n".utf8).write(to: dir.appendingPathComponent("pass.txt"))
        let result = try CLIRunner.run(["keys", "generate", "--dir", "keys", "--trust", "keys/trust.yaml", "--name", "Audit 2026",
                                        "--role", "audit-log", "--role", "export-signer", "--algorithm", "p256",
                                        "--passphrase-file", "pass.txt"],
                                       environment: ["CONSENTGATE_LANG": lang], workingDirectory: dir)
        #expect(result.exitCode == 2, "\(result)")
        #expect(result.stderr.contains("audit-log") && result.stderr.contains("Ed25519"), "\(result)")
        #expect(result.stderr.contains(lang == "de" ? "Checkpoints" : "checkpoints"), "\(result)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("keys").path), "something was written")

        // Ed25519 (the default) is fine, and P-256 for the other roles.
        let ed = try CLIRunner.run(["keys", "generate", "--dir", "keys", "--trust", "keys/trust.yaml", "--name", "Audit 2026",
                                    "--role", "audit-log", "--passphrase-file", "pass.txt"], workingDirectory: dir)
        #expect(ed.exitCode == 0, "\(ed)")
        let p = try CLIRunner.run(["keys", "generate", "--dir", "keys", "--trust", "keys/trust.yaml", "--name", "Export 2026",
                                   "--role", "export-signer", "--algorithm", "p256", "--passphrase-file", "pass.txt"], workingDirectory: dir)
        #expect(p.exitCode == 0, "\(p)")
    }
}
