import Foundation
import Testing

/// `consent record-notice ID --partner P`: after a withdrawal listed a referral's recipient to tell, the case manager
/// records that they did (GDPR Art. 19); the person's Art. 15 report shows the notice as the case manager's, and a
/// partner not to be told is refused (exit 3, nothing logged).
@Suite struct ReferralNoticeCLITests {
    @Test func aNoticeIsRecordedAndShownInTheReport() throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        let id = try #require(inst.grant().json["id"] as? String)
        let check = try inst.check(fields: "name.family", at: "2026-03-01T10:00:00Z", extra: ["--referral", "REF-9"])
        #expect(check.exitCode == 0, "\(check)")
        let withdrawn = try inst.run(["consent", "withdraw", id])
        #expect(withdrawn.exitCode == 0, "\(withdrawn)")
        #expect(withdrawn.stdout.contains("Then record it: consentgate consent record-notice \(id) --partner <partner>"), "\(withdrawn)")

        let kinds = try inst.auditKinds()
        let wrong = try inst.run(["consent", "record-notice", id, "--partner", "sozialamt"])
        #expect(wrong.exitCode == 3, "\(wrong)")
        #expect(wrong.stderr.contains("partner \"sozialamt\" received no data by referral") && wrong.stderr.contains("(to be told: jobcenter)"), "\(wrong)")
        #expect(try inst.auditKinds() == kinds, "nothing logged")

        let future = try inst.run(["consent", "record-notice", id, "--partner", "jobcenter", "--at", "2999-01-01T00:00:00Z"])
        #expect(future.exitCode == 3 && future.stderr.contains("told-at: 2999-01-01T00:00:00Z is in the future"), "\(future)")
        let notATime = try inst.run(["consent", "record-notice", id, "--partner", "jobcenter", "--at", "yesterday"])
        #expect(notATime.exitCode == 2 && notATime.stderr.contains("--at"), "\(notATime)")
        #expect(try inst.auditKinds() == kinds, "nothing logged")
        let done = try inst.run(["consent", "record-notice", id, "--partner", "jobcenter", "--json"])
        #expect(done.exitCode == 0, "\(done)")
        let index = try #require((done.json?["audit"] as? [String: Any])?["index"] as? Int, "\(done)")
        #expect(try inst.auditKinds().last == "erasure-notice")
        let report = try inst.run(["audit", "report", "--subject", CLIFixture.subject, "--json"])
        #expect(report.exitCode == 0, "\(report)")
        #expect(report.stdout.contains("\"channel\":\"referral\""), "\(report.stdout)")
        let html = try inst.run(["audit", "report", "--subject", CLIFixture.subject, "--lang", "de"])
        #expect(html.stdout.contains("(mitgeteilt vom Fallmanagement, zu Daten aus Vermittlungen)"), "\(html.stdout)")
        #expect(html.stdout.contains("<td>\(index)</td>"), "\(html.stdout)")
        // Told already: a second record is refused, nothing logged.
        let again = try inst.run(["consent", "record-notice", id, "--partner", "jobcenter"])
        #expect(again.exitCode == 3 && again.stderr.contains("already recorded as told"), "\(again)")
        #expect(try inst.auditKinds().filter { $0 == "erasure-notice" }.count == 1)
        // The log verifies with the notice in it (no export notice is owed for a referral).
        let verify = try inst.run(["audit", "verify"])
        #expect(verify.exitCode == 0, "\(verify)")
    }
}
