import Foundation
import TestFolders
import Testing

/// `audit verify` reports the trust store's changes the database has not recorded yet (a key added to `keys/trust.yaml`
/// since the installation was last opened) as information, in German and English and in `--json`
/// (`unrecorded-key-events`), and still passes (exit 0). Before, it said nothing of such a key, which is trusted from the
/// moment the file names it but reaches the log only at the next open. Once an open has logged it, the note is gone.
@Suite struct AuditVerifyUnrecordedKeysCLITests {
    @Test func aKeyAddedSinceTheLastOpenIsReported() throws {
        let folder = try TemporaryDirectory("cli-verify-unrecorded-keys")
        let real = try CLIRealInstallation(folder, keys: [("audit", "audit-log")])
        let (trust, db, pass) = (real.trust, real.db, real.passphraseFile)
        let installation = real.arguments + ["--passphrase-file", pass]
        let add = try CLIRunner.run(["users", "add", "--name", "admin", "--role", "admin"] + installation)
        #expect(add.exitCode == 0, "\(add)")
        let verify = ["audit", "verify", "--db", db, "--trust", trust]

        // Up to date: no note, an empty list.
        let clean = try CLIRunner.run(verify + ["--json"])
        #expect(clean.exitCode == 0 && (clean.json?["unrecorded-key-events"] as? [Any])?.isEmpty == true, "\(clean)")
        #expect(try !CLIRunner.run(verify).stdout.contains("note"))

        let added = try CLIRunner.run(["keys", "generate", "--trust", trust, "--name", "export", "--role", "export-signer", "--passphrase-file", pass])
        #expect(added.exitCode == 0, "\(added)")
        let listed = try CLIRunner.run(["keys", "list", "--trust", trust, "--json"])
        let kid = try #require(((listed.json?["keys"] as? [[String: Any]]) ?? []).first { $0["name"] as? String == "export" }?["kid"] as? String,
                               "\(listed)")

        let de = try CLIRunner.run(verify, environment: ["CONSENTGATE_LANG": "de"])
        #expect(de.exitCode == 0 && de.stdout.contains("Audit-Protokoll in Ordnung"), "\(de)")
        #expect(de.stdout.contains("Hinweis (kein Fehler): Der Trust-Store \(trust) wurde geändert"), "\(de)")
        #expect(de.stdout.contains("Schlüssel \(kid) (export, Rollen: export-signer): neu hinzugekommen"), "\(de)")
        let en = try CLIRunner.run(verify, environment: ["CONSENTGATE_LANG": "en"])
        #expect(en.exitCode == 0 && en.stdout.contains("note (no failure): the trust store \(trust) has changed"), "\(en)")
        #expect(en.stdout.contains("key \(kid) (export, roles: export-signer): added"), "\(en)")
        let json = try CLIRunner.run(verify + ["--json"])
        #expect(json.exitCode == 0 && json.json?["ok"] as? Bool == true, "\(json)")
        let events = json.json?["unrecorded-key-events"] as? [[String: Any]] ?? []
        #expect(events.count == 1, "\(json)")
        #expect(events.first?["event"] as? String == "trusted" && events.first?["kid"] as? String == kid
                && events.first?["name"] as? String == "export" && events.first?["roles"] as? [String] == ["export-signer"], "\(json)")
        #expect((events.first?["state"] as? String)?.hasPrefix("roles=export-signer not-before=") == true, "\(json)")

        // The next open logs it (a key-event); then verify has nothing to report.
        let open = try CLIRunner.run(["users", "add", "--name", "dsb", "--role", "dpo"] + installation)
        #expect(open.exitCode == 0, "\(open)")
        let after = try CLIRunner.run(verify + ["--json"])
        #expect(after.exitCode == 0 && (after.json?["unrecorded-key-events"] as? [Any])?.isEmpty == true, "\(after)")
        #expect(try !CLIRunner.run(verify, environment: ["CONSENTGATE_LANG": "en"]).stdout.contains("note"))
    }
}
