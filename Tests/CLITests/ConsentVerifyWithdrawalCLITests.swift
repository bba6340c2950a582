import Foundation
import Signing
import Testing

/// `consent verify` of a withdrawal checked its signature and form only, and said "valid" for a withdrawal that
/// `consent import` of the same file refuses because it does not fit the recorded consent: dated before the grant,
/// or naming another person. It now holds a withdrawal to the consent this installation records, as import does,
/// and says when that consent is not recorded here (`"consent-recorded": false` in `--json`).
@Suite struct ConsentVerifyWithdrawalCLITests {
    /// A withdrawal of `consentID`, signed with the shipped demo consent-signer key, written to a file in `inst`.
    static func withdrawal(_ consentID: String, subject: String, at: String, in inst: CLIInstallation, name: String) throws -> String {
        let key = try PrivateKey(file: CLIRunner.packageRoot.appendingPathComponent("keys/demo/consent-signer.key.pem").path,
                                 passphrase: PassphraseSource.demoPassphrase)
        let payload = "{\"consent\":\"\(consentID)\",\"recorded-by\":{\"case-manager\":\"cm.troisdorf.1\",\"municipality\":\"Troisdorf\"},"
            + "\"subject\":\"\(subject)\",\"withdrawal-version\":1,\"withdrawn-at\":\"\(at)\"}"
        let jws = try JWS.sign(payload: Array(payload.utf8), type: "consentgate-withdrawal+json", key: key)
        let path = inst.path(name)
        try Data(jws.serialized.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func aWithdrawalThatDoesNotFitTheRecordedConsentIsNotValid() throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        let (_, granted) = try inst.grant(clauses: "jobcenter", grantedAt: "2026-01-10T09:00:00Z")
        let id = try #require(granted["id"] as? String)

        let fitting = try Self.withdrawal(id, subject: CLIFixture.subject, at: "2026-04-01T00:00:00Z", in: inst, name: "fitting.jws.json")
        let ok = try inst.run(["consent", "verify", fitting, "--json"])
        #expect(ok.exitCode == 0, "\(ok)")
        #expect(ok.json?["valid"] as? Bool == true && ok.json?["consent-recorded"] as? Bool == true, "\(ok)")

        let cases: [(name: String, subject: String, at: String, en: String, de: String)] = [
            ("early.jws.json", CLIFixture.subject, "2026-01-01T00:00:00Z", "before the grant", "vor der Erteilung"),
            ("other-person.jws.json", "RSK-2022-999999", "2026-04-01T00:00:00Z", "RSK-2022-999999", "RSK-2022-999999"),
        ]
        for c in cases {
            let file = try Self.withdrawal(id, subject: c.subject, at: c.at, in: inst, name: c.name)
            let imported = try inst.run(["consent", "import", file])
            #expect(imported.exitCode == 3, "\(c.name): \(imported)")
            for lang in ["en", "de"] {
                let verified = try inst.run(["consent", "verify", file, "--lang", lang])
                #expect(verified.exitCode == 3, "\(c.name): \(verified)")
                #expect(verified.stdout.isEmpty, "\(c.name): \(verified)")
                #expect(verified.stderr.contains(lang == "de" ? c.de : c.en), "\(c.name): \(verified)")
            }
        }
        #expect(try inst.sqlite("SELECT count(*) FROM consent_withdrawal;") == ["0"])
    }

    @Test func aWithdrawalOfAConsentNotRecordedHereSaysSo() throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        try inst.create()
        let unknown = "0b9f4d3e-5a61-4c2e-9d7a-2f0e8c1b6a55"
        let file = try Self.withdrawal(unknown, subject: CLIFixture.subject, at: "2026-04-01T00:00:00Z", in: inst, name: "w.jws.json")
        let json = try inst.run(["consent", "verify", file, "--json"])
        #expect(json.exitCode == 0, "\(json)")
        #expect(json.json?["valid"] as? Bool == true && json.json?["consent-recorded"] as? Bool == false, "\(json)")
        let en = try inst.run(["consent", "verify", file, "--lang", "en"])
        #expect(en.exitCode == 0 && en.stdout.contains("valid: withdrawal of \(unknown)") && en.stdout.contains("not recorded"), "\(en)")
        let de = try inst.run(["consent", "verify", file, "--lang", "de"])
        #expect(de.exitCode == 0 && de.stdout.contains("nicht erfasst"), "\(de)")
    }
}
