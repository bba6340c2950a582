import Foundation
import TestFolders
import Testing

/// An audit-log key the log recorded as its own, removed from the trust store since (an expired key tidied away after a
/// rotation, against docs/keys.md): `audit verify` still fails (exit 4: the old checkpoints cannot be checked), but says
/// which recorded key is missing and to put it back, instead of only asking whether a foreign key signed (DPO review,
/// session 35, L5), also after the next open of the installation has logged the removal (from the log's own record).
@Suite struct AuditVerifyRemovedKeyCLITests {
    /// `trust.yaml` without the entry of key `kid` (its `- kid:` block).
    static func removing(_ kid: String, from text: String) -> String {
        var out: [Substring] = [], skipping = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("  - kid:") { skipping = line.contains(kid) }
            if !skipping { out.append(line) }
        }
        return out.joined(separator: "\n")
    }

    @Test func aRecordedAuditKeyRemovedFromTheTrustStoreIsNamed() throws {
        let folder = try TemporaryDirectory("cli-verify-removed-audit-key")
        let real = try CLIRealInstallation(folder, keys: [("audit", "audit-log")])
        let (trust, db, pass) = (real.trust, real.db, real.passphraseFile)
        let installation = real.arguments + ["--passphrase-file", pass]
        #expect(try CLIRunner.run(["users", "add", "--name", "admin", "--role", "admin"] + installation).exitCode == 0)
        let listed = try CLIRunner.run(["keys", "list", "--trust", trust, "--json"])
        let old = try #require(((listed.json?["keys"] as? [[String: Any]]) ?? []).first { $0["name"] as? String == "audit" }?["kid"] as? String, "\(listed)")
        // The rotation: a new audit-log key, recorded and signing from the next open on.
        let rotated = try CLIRunner.run(["keys", "generate", "--trust", trust, "--name", "audit-2", "--role", "audit-log", "--passphrase-file", pass])
        #expect(rotated.exitCode == 0, "\(rotated)")
        #expect(try CLIRunner.run(["users", "add", "--name", "dsb", "--role", "dpo"] + installation).exitCode == 0)
        let verify = ["audit", "verify", "--db", db, "--trust", trust]
        #expect(try CLIRunner.run(verify).exitCode == 0)

        let text = try String(contentsOfFile: trust, encoding: .utf8)
        let tidied = Self.removing(old, from: text)
        try #require(tidied != text && !tidied.contains(old))
        try Data(tidied.utf8).write(to: URL(fileURLWithPath: trust))
        for (lang, words) in [("en", "hint: \(trust) no longer holds audit-log key(s) this log recorded as its own (\(old))"),
                              ("de", "Hinweis: \(trust) enthält Audit-Log-Schlüssel nicht mehr, die dieses Protokoll als seine festgehalten hat (\(old))")] {
            let failed = try CLIRunner.run(verify, environment: ["CONSENTGATE_LANG": lang])
            #expect(failed.exitCode == 4, "\(failed)")
            #expect(failed.stderr.contains(words), "\(failed.stderr)")
        }
        // The next open logs the removal (a key-event); the hint comes from the log's record, so it stays.
        #expect(try CLIRunner.run(["users", "add", "--name", "dsb-2", "--role", "dpo"] + installation).exitCode == 0)
        let later = try CLIRunner.run(verify, environment: ["CONSENTGATE_LANG": "en"])
        #expect(later.exitCode == 4 && later.stderr.contains("this log recorded as its own (\(old))"), "\(later)")
        // Put back, it verifies again.
        try Data(text.utf8).write(to: URL(fileURLWithPath: trust))
        #expect(try CLIRunner.run(verify).exitCode == 0)
    }
}
