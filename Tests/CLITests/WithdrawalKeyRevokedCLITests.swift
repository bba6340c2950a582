import Foundation
import TestFolders
import Testing

/// `consent show` of a consent whose withdrawal was signed by a second consent-signer key that the trust store then
/// revokes as of a time before the withdrawal (the key review's repro G): the consent is `invalid`, and still shows the
/// withdrawal (`withdrawn-at`, text and `--json`) and says that the **withdrawal** fails and why, in German and English,
/// not "signing key <the withdrawal's key>" of a consent whose kid is another. Before, `withdrawn-at` was null.
@Suite struct WithdrawalKeyRevokedCLITests {
    @Test func showSaysTheWithdrawalFailsAndKeepsItOnRecord() throws {
        let folder = try TemporaryDirectory("cli-withdrawal-key-revoked")
        let real = try CLIRealInstallation(folder, keys: [("audit", "audit-log")])
        // Valid 2020–2036 and 2021–2036: the second, with the later not-before, signs once it exists.
        for (name, notBefore) in [("consents", "2020-01-01T00:00:00Z"), ("consents 2027", "2021-01-01T00:00:00Z")] {
            let gen = try CLIRunner.run(["keys", "generate", "--trust", real.trust, "--name", name, "--role", "consent-signer",
                                         "--not-before", notBefore, "--not-after", "2036-01-01T00:00:00Z", "--passphrase-file", real.passphraseFile])
            try #require(gen.exitCode == 0, "\(gen)")
            if name == "consents" {
                let grant = try CLIRunner.run(["consent", "grant", "--subject", "RSK-2022-000002", "--clauses", "jobcenter",
                                               "--collected-by", "cm.troisdorf.1", "--municipality", "Troisdorf", "--birth-date", "1948-07-18",
                                               "--passphrase-file", real.passphraseFile] + real.arguments, timeout: 60)
                try #require(grant.exitCode == 0, "\(grant)")
            }
        }
        let list = try CLIRunner.run(["consent", "list", "--subject", "RSK-2022-000002", "--json", "--passphrase-file", real.passphraseFile] + real.arguments)
        let consents = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]], "\(list)")
        let id = try #require(consents.first?["id"] as? String)
        let consentKid = try #require(consents.first?["kid"] as? String)
        let withdraw = try CLIRunner.run(["consent", "withdraw", id, "--passphrase-file", real.passphraseFile] + real.arguments, timeout: 60)
        try #require(withdraw.exitCode == 0, "\(withdraw)")

        // Revoke the second key as of 2025 (before the withdrawal): a `revoked-at` line after its `not-after`.
        var lines = try String(contentsOfFile: real.trust, encoding: .utf8).components(separatedBy: "\n")
        let keyAt = try #require(lines.firstIndex { $0.contains("name: \"consents 2027\"") })
        let withdrawalKid = try #require(lines[..<keyAt].last { $0.contains("kid:") }?.split(separator: "\"").dropFirst().first.map(String.init))
        let notAfterAt = try #require(lines.indices.first { $0 > keyAt && lines[$0].contains("not-after:") })
        lines.insert(String(lines[notAfterAt].prefix { $0 == " " }) + "revoked-at: \"2025-01-01T00:00:00Z\"", at: notAfterAt + 1)
        try lines.joined(separator: "\n").write(toFile: real.trust, atomically: true, encoding: .utf8)
        #expect(withdrawalKid != consentKid)

        let show = ["consent", "show", id, "--passphrase-file", real.passphraseFile] + real.arguments
        let json = try CLIRunner.run(show + ["--json"], environment: ["CONSENTGATE_LANG": "en"], timeout: 60)
        #expect(json.exitCode == 0, "\(json)")
        let shown = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]], "\(json)")
        #expect(shown.first?["state"] as? String == "invalid")
        #expect(shown.first?["kid"] as? String == consentKid)
        let withdrawnAt = try #require(shown.first?["withdrawn-at"] as? String, "withdrawn-at on record: \(json.stdout)")
        let failures = shown.first?["failures"] as? [String] ?? []
        #expect(failures == ["the withdrawal of \(withdrawnAt) is signed by key \(withdrawalKid), which is not trusted for the consent-signer role at its signing time: the key was revoked at 2025-01-01T00:00:00Z"],
                "\(failures)")

        for (language, state, withdrawn, failure) in [
            ("en", "invalid", "withdrawn \(withdrawnAt)", "! the withdrawal of \(withdrawnAt) is signed by key \(withdrawalKid)"),
            ("de", "ungültig", "widerrufen \(withdrawnAt)", "! Der Widerruf vom \(withdrawnAt) ist mit Schlüssel \(withdrawalKid) signiert"),
        ] {
            let text = try CLIRunner.run(show, environment: ["CONSENTGATE_LANG": language], timeout: 60)
            #expect(text.exitCode == 0, "\(language): \(text)")
            #expect(text.stdout.contains("  \(state)  ") && text.stdout.contains(withdrawn) && text.stdout.contains(failure), "\(language): \(text.stdout)")
        }
    }
}

/// `consent verify` of a withdrawal file whose key the trust store revoked after the withdrawal was signed reads it as
/// `consent show` reads it once recorded: on record here before the revocation, it is valid; a file this installation
/// did not record before the revocation is not (exit 4: whoever holds the key can sign with any date). Before, verify said
/// "valid" for the file, import took it and `consent show` then called the consent invalid (consent review, session 40).
@Suite struct WithdrawalFileKeyRevokedCLITests {
    @Test func aFileSignedByAKeyRevokedSinceIsNotValidUnlessRecordedBefore() throws {
        let folder = try TemporaryDirectory("cli-withdrawal-file-key-revoked")
        let real = try CLIRealInstallation(folder, keys: [("audit", "audit-log")])
        let pass = ["--passphrase-file", real.passphraseFile]
        let gen = try CLIRunner.run(["keys", "generate", "--trust", real.trust, "--name", "consents", "--role", "consent-signer",
                                     "--not-before", "2020-01-01T00:00:00Z", "--not-after", "2036-01-01T00:00:00Z"] + pass)
        try #require(gen.exitCode == 0, "\(gen)")
        let grant = try CLIRunner.run(["consent", "grant", "--subject", "RSK-2022-000002", "--clauses", "jobcenter", "--collected-by", "cm.troisdorf.1",
                                       "--municipality", "Troisdorf", "--birth-date", "1948-07-18", "--granted-at", "2026-01-10T09:00:00Z", "--json"]
                                      + pass + real.arguments, timeout: 60)
        let id = try #require(grant.json?["id"] as? String, "\(grant)")
        let withdraw = try CLIRunner.run(["consent", "withdraw", id, "--at", "2026-06-01T00:00:00Z"] + pass + real.arguments, timeout: 60)
        try #require(withdraw.exitCode == 0, "\(withdraw)")
        let export = try CLIRunner.run(["consent", "export", id, "--out", folder.path + "/out"] + pass + real.arguments, timeout: 60)
        let file = try #require(export.stdout.split(separator: "\n").map(String.init).first { ($0 as NSString).lastPathComponent.hasPrefix("withdrawal-") },
                                "\(export)")

        // Revoked now: after the withdrawal was signed (2026-06-01) and recorded here.
        var lines = try String(contentsOfFile: real.trust, encoding: .utf8).components(separatedBy: "\n")
        let keyAt = try #require(lines.firstIndex { $0.contains("name: \"consents\"") })
        let notAfterAt = try #require(lines.indices.first { $0 > keyAt && lines[$0].contains("not-after:") })
        Thread.sleep(forTimeInterval: 1.2)   // the revocation's whole second lies after the recording
        let revokedAt = RFC3339Text.now(minus: 0)
        lines.insert(String(lines[notAfterAt].prefix { $0 == " " }) + "revoked-at: \"\(revokedAt)\"", at: notAfterAt + 1)
        try lines.joined(separator: "\n").write(toFile: real.trust, atomically: true, encoding: .utf8)

        // On record here since before the revocation: valid, as `consent show` says.
        let recorded = try CLIRunner.run(["consent", "verify", file, "--lang", "en"] + pass + real.arguments, timeout: 60)
        #expect(recorded.exitCode == 0 && recorded.stdout.contains("valid: withdrawal of \(id)"), "\(recorded)")

        // The same file checked by an installation that never recorded it (a copy of the database before the withdrawal
        // is not at hand: a fresh database on the same trust store): not valid.
        let other = ["--db", folder.path + "/other.sqlite", "--trust", real.trust, "--policy", real.policy]
        let elsewhere = try CLIRunner.run(["consent", "verify", file, "--lang", "en"] + pass + other, timeout: 60)
        #expect(elsewhere.exitCode == 4, "\(elsewhere)")
        #expect(elsewhere.stderr.contains("revoked at \(revokedAt)") && elsewhere.stderr.contains("can sign with any date"), "\(elsewhere)")
    }
}

/// RFC 3339 text of the current time minus whole seconds (for trust store edits in tests).
enum RFC3339Text {
    static func now(minus seconds: TimeInterval) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: Date().addingTimeInterval(-seconds))
    }
}
