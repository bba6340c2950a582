import AuditLog
import ChildProcess
import ConsentRecords
import Foundation
import Gate
import PolicyEngine
import Signing
import Testing
@testable import DriveExport

/// `ErasureNoticeCheck` (run by `audit verify`): a notice GDPR Art. 19 requires, suppressed by editing the
/// export ledger with the stock `sqlite3`, is found; notices sent or still due are not findings.
@Suite("Erasure notices owed", .serialized)
struct ErasureNoticeCheckTests {
    static let subjectID = "RSK-2022-000002"   // an adult with a phone number in the sample
    static let manager = CaseManagerReference(caseManager: "cm.test", municipality: "Niederkassel")

    /// An installation whose first export passed the subject's phone number to the Ausländerbehörde on a consent,
    /// since withdrawn; the consent's id and the index of that disclosure.
    func withdrawnAfterExport() throws -> (ExportHarness.Installation, consent: String, disclosure: Int64) {
        let dir = try ExportHarness.tempDir("notice-check")
        let inst = try ExportHarness.open(dir: dir, policy: try ExportHarness.policyWithConsentColumn(in: dir))
        let grantedAt = ExportHarness.now.addingTimeInterval(-30 * 86_400)
        let (consent, _) = try inst.gate.grantConsent(GrantRequest(
            subject: Subject(id: Self.subjectID, birthDate: RFC3339.parse("1948-07-18T00:00:00Z"), municipality: "Niederkassel"),
            templateID: "kim-beratung", language: "de", clauses: ["abh-kontakt"], grantedAt: grantedAt, collectedBy: Self.manager),
            actor: Actor(id: "test"), now: grantedAt)
        _ = try inst.run(ExportHarness.sample)
        let disclosure = try #require(try inst.gate.auditLog.entries(matching: AuditQuery(subject: Self.subjectID, kinds: [.disclosure])).first {
            if case let .disclosure(d) = $0.entry.content {
                return d.partner == "auslaenderbehoerde" && d.fields.contains { $0.consent?.id == consent.id }
            }
            return false
        })
        #expect(try StoreChecks.problem(in: inst.gate.database.writer) == nil, "relied on, not withdrawn")
        let at = ExportHarness.now.addingTimeInterval(-86_400)
        _ = try inst.gate.withdrawConsent(id: consent.id, at: at, recordedBy: Self.manager, actor: Actor(id: "test"), now: at)
        return (inst, consent.id, disclosure.index)
    }

    func sqlite(_ inst: ExportHarness.Installation, _ sql: String) throws {
        let r = try Spawn.run("/usr/bin/env", ["sqlite3", "-cmd", ".timeout 10000", inst.dir + "/consentgate.sqlite", sql])
        try #require(r.status == 0, "\(r.stderrText)")
    }

    @Test("withdrawn, the notice due and then sent: no finding either time")
    func dueThenSent() throws {
        let (inst, _, _) = try withdrawnAfterExport()
        defer { inst.remove() }
        #expect(try ErasureNoticeCheck.problem(in: inst.gate.database.writer) == nil, "due with the next run")
        let next = try inst.run(ExportHarness.sample, now: ExportHarness.now.addingTimeInterval(60))
        #expect(next.partners.first { $0.partner == "auslaenderbehoerde" }?.notices == 1)
        #expect(try ErasureNoticeCheck.problem(in: inst.gate.database.writer) == nil, "sent")
    }

    @Test("the ledger edited so the notice is never sent (reliance deleted, or a notice marked sent): found", arguments: [
        "DELETE FROM export_reliance WHERE consent_id = '%@'",
        "INSERT INTO export_notice (consent_id, partner, subject, run_id) VALUES ('%@', 'auslaenderbehoerde', 'RSK-2022-000002', 'forged')",
    ])
    func suppressed(edit: String) throws {
        let (inst, consent, disclosure) = try withdrawnAfterExport()
        defer { inst.remove() }
        try sqlite(inst, edit.replacingOccurrences(of: "%@", with: consent))
        let finding = try StoreChecks.problem(in: inst.gate.database.writer)
        #expect(finding as? ErasureNoticeFinding == .noticeSuppressed(consentID: consent, partner: "auslaenderbehoerde",
                                                                       subject: Self.subjectID, disclosureIndex: disclosure))
        #expect(finding?.category.exitCode == 4)
        #expect(finding?.message(in: .de).contains("Art. 19 DSGVO") == true)
        #expect(finding?.message(in: .en).contains("GDPR Art. 19") == true)
        // What the edit does: the next run sends no notice, and the finding stays.
        let next = try inst.run(ExportHarness.sample, now: ExportHarness.now.addingTimeInterval(60))
        #expect(next.partners.allSatisfy { $0.notices == 0 })
        #expect(try ErasureNoticeCheck.problem(in: inst.gate.database.writer) != nil)
    }
}
