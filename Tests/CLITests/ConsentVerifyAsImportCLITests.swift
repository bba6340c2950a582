import Foundation
import Signing
import Testing

/// `consent verify` answers as `consent import` would, without storing anything: it said "valid" (exit 0) for documents an
/// import refuses (exit 3), among them another document under a stored consent's id, which it then reported as this
/// installation's consent with its withdrawals (consent review, session 40, M4). Documents signed with the shipped demo
/// key, made from a genuine declaration of the installation.
@Suite struct ConsentVerifyAsImportCLITests {
    /// The genuine declaration's payload text, after `edit`, signed again with the demo consent-signer key into a file.
    static func resigned(_ inst: CLIInstallation, consentID: String, name: String, edit: (String) -> String) throws -> String {
        let export = try inst.run(["consent", "export", consentID, "--out", inst.path("export-\(name)")])
        let file = try #require(export.stdout.split(separator: "\n").map(String.init).first { $0.contains("consent-") }, "\(export)")
        let genuine = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [String: String])
        var b64 = try #require(genuine["payload"]).replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while b64.count % 4 != 0 { b64 += "=" }
        let payload = String(decoding: try #require(Data(base64Encoded: b64)), as: UTF8.self)
        let edited = edit(payload)
        #expect(edited != payload, "the edit changed nothing")
        let key = try PrivateKey(file: CLIRunner.packageRoot.appendingPathComponent("keys/demo/consent-signer.key.pem").path,
                                 passphrase: PassphraseSource.demoPassphrase)
        let jws = try JWS.sign(payload: Array(edited.utf8), type: "consentgate-consent+json", key: key)
        let path = inst.path(name)
        try Data(jws.serialized.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    static let otherID = "5d0c1f9e-8a3b-4e6f-9c21-7b4a2e9d1c03"

    struct Case: Sendable, CustomStringConvertible {
        let description: String
        let edit: @Sendable (_ payload: String, _ id: String) -> String
        let en: String
    }

    static let cases = [
        Case(description: "a guardian named by a placeholder", edit: { p, id in
            p.replacingOccurrences(of: id, with: otherID).replacingOccurrences(of: "\"guardians\":[]", with: "\"guardians\":[{\"name\":\"-\"}]")
        }, en: "guardians[0].name"),
        Case(description: "collected in a municipality outside the county", edit: { p, id in
            p.replacingOccurrences(of: id, with: otherID).replacingOccurrences(of: "\"Troisdorf\"", with: "\"Bonn\"")
        }, en: "Bonn"),
        Case(description: "another document under the stored id", edit: { p, _ in
            p.replacingOccurrences(of: "[\"jobcenter\"]", with: "[\"sprachkurs\"]")
        }, en: "a different signed document with this id is already stored"),
    ]

    @Test(arguments: cases)
    func verifyRefusesWhatImportRefuses(_ c: Case) throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        let (_, granted) = try inst.grant(clauses: "jobcenter")
        let id = try #require(granted["id"] as? String)
        let file = try Self.resigned(inst, consentID: id, name: "edited.jws.json") { c.edit($0, id) }
        let before = try inst.sqlite("SELECT count(*) FROM audit_entry;")

        let verified = try inst.run(["consent", "verify", file, "--lang", "en"])
        #expect(verified.exitCode == 3, "\(verified)")
        #expect(verified.stdout.isEmpty && verified.stderr.contains(c.en), "\(verified)")
        #expect(!verified.stderr.contains("consent for consent"), "\(verified)")
        #expect(try inst.sqlite("SELECT count(*) FROM audit_entry;") == before, "verify stores and logs nothing")
        #expect(try inst.sqlite("SELECT count(*) FROM consent;") == ["1"])

        let imported = try inst.run(["consent", "import", file, "--lang", "en"])
        #expect(imported.exitCode == verified.exitCode, "\(imported)")
    }

    /// What import takes, verify calls valid, and the dry run leaves nothing behind.
    @Test func aDocumentImportWouldTakeIsValid() throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        let (_, granted) = try inst.grant(clauses: "jobcenter")
        let id = try #require(granted["id"] as? String)
        let file = try Self.resigned(inst, consentID: id, name: "new.jws.json") { $0.replacingOccurrences(of: id, with: Self.otherID) }
        let before = try inst.sqlite("SELECT count(*) FROM audit_entry;")
        let verified = try inst.run(["consent", "verify", file, "--lang", "en"])
        #expect(verified.exitCode == 0 && verified.stdout.contains("valid: consent \(Self.otherID)"), "\(verified)")
        #expect(try inst.sqlite("SELECT count(*) FROM audit_entry;") == before)
        #expect(try inst.sqlite("SELECT count(*) FROM consent;") == ["1"])
        let imported = try inst.run(["consent", "import", file])
        #expect(imported.exitCode == 0, "\(imported)")
        #expect(try inst.sqlite("SELECT count(*) FROM consent;") == ["2"])
    }

    /// A second withdrawal of the whole consent: import refuses it as another document, and so does verify.
    @Test func aSecondWholeWithdrawalIsNotValid() throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        let (_, granted) = try inst.grant(clauses: "jobcenter")
        let id = try #require(granted["id"] as? String)
        let withdraw = try inst.run(["consent", "withdraw", id, "--at", "2026-04-01T00:00:00Z"])
        #expect(withdraw.exitCode == 0, "\(withdraw)")
        let second = try ConsentVerifyWithdrawalCLITests.withdrawal(id, subject: CLIFixture.subject, at: "2026-05-01T00:00:00Z", in: inst,
                                                                     name: "second.jws.json")
        let verified = try inst.run(["consent", "verify", second, "--lang", "en"])
        #expect(verified.exitCode == 3 && verified.stdout.isEmpty, "\(verified)")
        let imported = try inst.run(["consent", "import", second, "--lang", "en"])
        #expect(imported.exitCode == 3, "\(imported)")
        #expect(try inst.sqlite("SELECT count(*) FROM consent_withdrawal;") == ["1"])

        // Signed by a key without the consent-signer role (the demo audit-log key): an integrity failure (exit 4) is
        // reported before the rule it also breaks (it read "a different signed document …", exit 3: consent review L2).
        let key = try PrivateKey(file: CLIRunner.packageRoot.appendingPathComponent("keys/demo/audit-log.key.pem").path,
                                 passphrase: PassphraseSource.demoPassphrase)
        let payload = "{\"consent\":\"\(id)\",\"recorded-by\":{\"case-manager\":\"cm.troisdorf.1\",\"municipality\":\"Troisdorf\"},"
            + "\"subject\":\"\(CLIFixture.subject)\",\"withdrawal-version\":1,\"withdrawn-at\":\"2026-05-02T00:00:00Z\"}"
        let forged = inst.path("forged.jws.json")
        try Data(try JWS.sign(payload: Array(payload.utf8), type: "consentgate-withdrawal+json", key: key).serialized.utf8)
            .write(to: URL(fileURLWithPath: forged))
        for command in ["import", "verify"] {
            let r = try inst.run(["consent", command, forged, "--lang", "en"])
            #expect(r.exitCode == 4, "\(command): \(r)")
            #expect(r.stderr.contains("consent-signer") && !r.stderr.contains("already stored"), "\(command): \(r)")
        }
    }
}
