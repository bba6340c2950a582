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
