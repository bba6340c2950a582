import Foundation
import Testing

/// grant → check → withdraw → check through the `consentgate` binary, with the `--json` outputs read back.
@Suite struct ConsentLifecycleCLITests {
    /// Checks a decision against the shape of CONTRACTS §4.
    static func expectDecisionShape(_ d: [String: Any], requested: [String], at: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(d["decision-version"] as? Int == 1, sourceLocation: sourceLocation)
        let policy = d["policy"] as? [String: Any]
        #expect(policy?["id"] as? String == "kim-rhein-sieg", sourceLocation: sourceLocation)
        #expect((policy?["version"] as? String)?.isEmpty == false, sourceLocation: sourceLocation)
        let digest = policy?["digest"] as? String ?? ""
        #expect(digest.hasPrefix("sha256:") && digest.count == 7 + 64, "digest \(digest)", sourceLocation: sourceLocation)
        #expect(d["subject"] as? String == CLIFixture.subject, sourceLocation: sourceLocation)
        #expect(d["partner"] as? String == "jobcenter" && d["purpose"] as? String == "job-placement", sourceLocation: sourceLocation)
        #expect(d["at"] as? String == at, sourceLocation: sourceLocation)
        let fields = d["fields"] as? [[String: Any]] ?? []
        #expect(fields.compactMap { $0["field"] as? String } == requested, sourceLocation: sourceLocation)
        for f in fields {
            let outcome = f["outcome"] as? String
            #expect(outcome == "permit" || outcome == "deny", "\(f)", sourceLocation: sourceLocation)
            // A permit names its rule and no reason; a deny names its reason.
            if outcome == "permit" {
                #expect(f["reason"] == nil && f["rule"] is String, "\(f)", sourceLocation: sourceLocation)
            } else {
                #expect(f["reason"] is String, "\(f)", sourceLocation: sourceLocation)
            }
        }
        let permitted = fields.filter { $0["outcome"] as? String == "permit" }.compactMap { $0["field"] as? String }
        #expect(d["released"] as? [String] == permitted, sourceLocation: sourceLocation)
        #expect((d["audit"] as? [String: Any])?["index"] is Int, sourceLocation: sourceLocation)
    }

    @Test func grantCheckWithdrawCheckThroughTheBinary() throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        let (_, granted) = try inst.grant()
        let id = try #require(granted["id"] as? String)
        #expect(UUID(uuidString: id) != nil, "consent id \(id) is not a UUID")
        #expect(granted["expires-at"] as? String == "2028-01-10T09:00:00Z")
        let grantIndex = try #require((granted["audit"] as? [String: Any])?["index"] as? Int)

        // Request order deliberately not alphabetical: `released` must keep it.
        let requested = ["name.family", "health.notes", "address.street"]
        let before = try inst.check(fields: requested.joined(separator: ","), at: "2026-03-01T10:00:00Z")
        #expect(before.exitCode == 0, "\(before)")
        let d1 = try #require(before.json, "\(before)")
        Self.expectDecisionShape(d1, requested: requested, at: "2026-03-01T10:00:00Z")
        #expect(d1["released"] as? [String] == ["name.family", "address.street"])
        let family = CLIFixture.field(d1, "name.family")
        #expect(family?["rule"] as? String == "jobcenter-consent")
        #expect((family?["consent"] as? [String: Any])?["id"] as? String == id)
        #expect((family?["consent"] as? [String: Any])?["clause"] as? String == "jobcenter")
        #expect(CLIFixture.field(d1, "health.notes")?["reason"] as? String == "forbidden")
        let checkIndex = try #require((d1["audit"] as? [String: Any])?["index"] as? Int)
        #expect(checkIndex > grantIndex)

        let withdraw = try inst.run(["consent", "withdraw", id, "--at", "2026-06-01T00:00:00Z", "--recorded-by", "cm.troisdorf.1",
                                     "--municipality", "Troisdorf", "--json"])
        #expect(withdraw.exitCode == 0, "\(withdraw)")
        #expect(withdraw.json?["consent"] as? String == id)
        #expect(withdraw.json?["withdrawn-at"] as? String == "2026-06-01T00:00:00Z")
        #expect(withdraw.json?["already-withdrawn"] as? Bool == false)
        #expect((withdraw.json?["audit"] as? [String: Any])?["index"] as? Int == checkIndex + 1)

        // After the withdrawal: consent-revoked; with --fail-on-deny exit 1, the decision still printed.
        let after = try inst.check(fields: "name.family", at: "2026-07-01T10:00:00Z", extra: ["--fail-on-deny"])
        #expect(after.exitCode == 1, "\(after)")
        let d2 = try #require(after.json, "\(after)")
        Self.expectDecisionShape(d2, requested: ["name.family"], at: "2026-07-01T10:00:00Z")
        #expect(CLIFixture.field(d2, "name.family")?["reason"] as? String == "consent-revoked")
        #expect(d2["released"] as? [String] == [])

        // As of a time before the withdrawal, but made now: its data could go out only now, after the withdrawal, so it
        // is refused too (before 2026-12-07 it permitted; `BackDatedCheckWithdrawalTests`).
        let past = try inst.check(fields: "name.family", at: "2026-05-31T23:59:59Z", extra: ["--fail-on-deny"])
        #expect(past.exitCode == 1, "\(past)")
        #expect(CLIFixture.field(past.json, "name.family")?["reason"] as? String == "consent-revoked")
        #expect(past.json?["at"] as? String == "2026-05-31T23:59:59Z", "still the decision for the moment asked")

        // A second withdrawal reports the first and logs nothing.
        let kindsBefore = try inst.auditKinds()
        let again = try inst.run(["consent", "withdraw", id, "--at", "2026-08-01T00:00:00Z", "--json"])
        #expect(again.exitCode == 0, "\(again)")
        #expect(again.json?["already-withdrawn"] as? Bool == true)
        #expect(again.json?["withdrawn-at"] as? String == "2026-06-01T00:00:00Z")
        #expect(again.json?["audit"] == nil)
        #expect(try inst.auditKinds() == kindsBefore)
        #expect(kindsBefore == CLIFixture.openingKinds + ["consent-granted", "decision", "consent-withdrawn", "decision", "decision"])

        // show and list agree: withdrawn now.
        let show = try inst.run(["consent", "show", id, "--json"])
        #expect(show.exitCode == 0, "\(show)")
        let shown = try #require(try JSONSerialization.jsonObject(with: Data(show.stdoutBytes)) as? [[String: Any]], "\(show)")
        #expect(shown.first?["state"] as? String == "withdrawn")
        #expect(shown.first?["clauses"] as? [String] == ["jobcenter"])
        let list = try inst.run(["consent", "list", "--subject", CLIFixture.subject, "--at", "2026-03-01T00:00:00Z", "--json"])
        let listed = try #require(try JSONSerialization.jsonObject(with: Data(list.stdoutBytes)) as? [[String: Any]], "\(list)")
        #expect(listed.map { $0["id"] as? String } == [id])
        #expect(listed.first?["state"] as? String == "active", "as of 2026-03-01 the consent was active")

        let verify = try inst.auditVerify()
        #expect(verify.exitCode == 0, "\(verify)")
        #expect(verify.json?["tree-size"] as? Int == CLIFixture.openingKinds.count + 5)
        // What the verification covered beyond the log: the one consent, its withdrawal, the demo keys.
        #expect(verify.json?["consents"] as? Int == 1 && verify.json?["withdrawals"] as? Int == 1, "\(verify)")
        #expect(verify.json?["trusted-keys"] as? Int == CLIFixture.openingKinds.count - 1 && verify.json?["accounts"] as? Int == 0)
        let text = try CLIRunner.run(["audit", "verify", "--db", inst.databasePath, "--public-key", "keys/demo/audit-log.pub.pem"],
                                     environment: ["CONSENTGATE_LANG": "de"])
        #expect(text.exitCode == 0 && text.stdout.contains("; 1 Einwilligung, 1 Widerruf, \(CLIFixture.openingKinds.count - 1) Schlüssel, 0 Konten und die fälligen Löschhinweise stimmen mit ihm überein"), "\(text)")
    }

    /// A minor's consent with a guardian and the scanned paper form: the guardian and the scan's SHA-256 (checked
    /// with the stock `openssl dgst`) are in the signed record.
    @Test func grantForAMinorWithGuardianAndEvidence() throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        let scan = inst.path("scan.pdf")
        try Data((0..<5000).map { UInt8(truncatingIfNeeded: $0 * 7) }).write(to: URL(fileURLWithPath: scan))
        let r = try inst.run(["consent", "grant", "--subject", "RSK-2025-000100", "--clauses", "jugendamt,jugendamt-gesundheit",
                              "--language", "uk", "--collected-by", "cm.siegburg.3", "--municipality", "Siegburg",
                              "--birth-date", "11.01.2010", "--guardian", "Olena K.", "--evidence", scan,
                              "--granted-at", "2026-01-10T09:00:00Z", "--validity", "P1Y", "--json"])
        #expect(r.exitCode == 0, "\(r)")
        let id = try #require(r.json?["id"] as? String, "\(r)")
        #expect(r.json?["expires-at"] as? String == "2027-01-10T09:00:00Z")
        // The state as of a moment in its year (`--at`: the consent runs out on 2027-01-10, and this test must not then).
        let show = try inst.run(["consent", "show", id, "--at", "2026-03-01T10:00:00Z", "--json"])
        let shown = try #require(try JSONSerialization.jsonObject(with: Data(show.stdoutBytes)) as? [[String: Any]], "\(show)").first
        let openssl = try CLIRunner.runTool("openssl", ["dgst", "-sha256", "-r", scan])
        let hex = try #require(openssl.stdout.split(separator: " ").first.map(String.init), "\(openssl)")
        #expect(shown?["evidence"] as? String == "sha256:" + hex)
        #expect((shown?["guardians"] as? [[String: Any]])?.first?["name"] as? String == "Olena K.")
        #expect(shown?["language"] as? String == "uk")
        #expect(shown?["state"] as? String == "active")
        let later = try inst.run(["consent", "show", id, "--at", "2027-01-10T09:00:00Z", "--json"])
        #expect(later.stdout.contains("\"state\":\"expired\""), "its end: \(later)")
        #expect(try inst.run(["consent", "show", id, "--at", "morgen"]).exitCode == 2, "an --at that is no time is a usage error")
        // The child's health notes may go to the youth office with the explicit clause.
        let check = try inst.run(["check", "--subject", "RSK-2025-000100", "--partner", "jugendamt", "--purpose", "child-welfare",
                                  "--fields", "health.notes", "--at", "2026-03-01T10:00:00Z", "--json"])
        #expect(CLIFixture.field(check.json, "health.notes")?["outcome"] as? String == "permit", "\(check)")
        #expect((CLIFixture.field(check.json, "health.notes")?["consent"] as? [String: Any])?["clause"] as? String
                == "jugendamt-gesundheit", "\(check)")
    }

    @Test func withdrawingAnUnknownConsentOrBeforeTheGrantIsAnError() throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        let (_, granted) = try inst.grant()
        let id = try #require(granted["id"] as? String)
        let unknown = try inst.run(["consent", "withdraw", "5b0c8d7e-2f0a-4c1e-9a57-3f1d2c4b5a69"])
        #expect(unknown.exitCode == 3, "\(unknown)")
        #expect(unknown.stderr.contains("5b0c8d7e-2f0a-4c1e-9a57-3f1d2c4b5a69"), "\(unknown)")
        let early = try inst.run(["consent", "withdraw", id, "--at", "2026-01-10T08:00:00Z"])
        #expect(early.exitCode == 3, "\(early)")
        #expect(early.stderr.contains("2026-01-10T09:00:00Z"), "the error should name the grant time: \(early)")
        #expect(try inst.sqlite("SELECT count(*) FROM consent_withdrawal;") == ["0"])
    }
}

/// `audit verify` also holds the stored consents to what the log recorded of them.
@Suite struct ConsentLedgerCLITests {
    @Test("a withdrawal cannot be deleted plainly; deleted past the trigger, audit verify fails with exit 4 in both languages")
    func deletedWithdrawalFailsAuditVerify() throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        let id = try #require(try inst.grant().json["id"] as? String)
        let withdraw = try inst.run(["consent", "withdraw", id, "--at", "2026-06-01T00:00:00Z", "--recorded-by", "cm.troisdorf.1",
                                     "--municipality", "Troisdorf"])
        #expect(withdraw.exitCode == 0, "\(withdraw)")
        let ok = try inst.run(["audit", "verify"])
        #expect(ok.exitCode == 0, "\(ok)")
        let delete = "DELETE FROM consent_withdrawal WHERE consent_id = '\(id)'"
        // The append-only trigger refuses a plain deletion; an editor of the file drops it first.
        let refused = try CLIRunner.runTool("sqlite3", [inst.databasePath, delete])
        #expect(refused.exitCode != 0 && refused.stderr.contains("append-only"), "\(refused)")
        let sqlite = try CLIRunner.runTool("sqlite3", [inst.databasePath, "DROP TRIGGER consent_withdrawal_no_delete; " + delete])
        #expect(sqlite.exitCode == 0, "\(sqlite)")
        let en = try inst.run(["audit", "verify"], environment: ["CONSENTGATE_LANG": "en"])
        #expect(en.exitCode == 4, "\(en)")
        #expect(en.stderr.contains("consent store tampered with or damaged") && en.stderr.contains("withdrawal of consent \(id)"), "\(en)")
        let de = try inst.run(["audit", "verify"], environment: ["CONSENTGATE_LANG": "de"])
        #expect(de.exitCode == 4, "\(de)")
        #expect(de.stderr.contains("Einwilligungsbestand manipuliert") && de.stderr.contains("gälte wieder als wirksam"), "\(de)")
    }
}
