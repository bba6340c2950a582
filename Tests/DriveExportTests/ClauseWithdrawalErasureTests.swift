import AuditLog
import ConsentRecords
import Foundation
import Gate
import PolicyEngine
import Signing
import Testing
@testable import DriveExport

/// After a withdrawal of single lines (clauses) of a consent, an erasure notice (GDPR Art. 19) is owed only to a partner
/// that received data under a withdrawn line; the export stops releasing under it; `audit verify`'s notice check agrees.
@Suite("Erasure notices after a withdrawal of single lines", .serialized)
struct ClauseWithdrawalErasureTests {
    static let subjectID = "RSK-2022-000002"   // an adult with a phone number in the sample
    static let manager = CaseManagerReference(caseManager: "cm.test", municipality: "Niederkassel")

    @Test("a withdrawn line the partner received nothing under owes it no notice; the line it did receive under does")
    func onlyUnderAWithdrawnLine() throws {
        let folder = try ExportHarness.tempDir("clause-notice")
        let inst = try ExportHarness.open(dir: folder, policy: try ExportHarness.policyWithConsentColumn(in: folder.path))
        defer { inst.remove() }
        let grantedAt = ExportHarness.now.addingTimeInterval(-30 * 86_400)
        let (consent, _) = try inst.gate.grantConsent(GrantRequest(
            subject: Subject(id: Self.subjectID, birthDate: RFC3339.parse("1948-07-18T00:00:00Z"), municipality: "Niederkassel"),
            templateID: "kim-beratung", language: "de", clauses: ["abh-kontakt", "jobcenter", "sozialamt"], grantedAt: grantedAt, collectedBy: Self.manager),
            actor: Actor(id: "test"), now: grantedAt)
        _ = try inst.run(ExportHarness.sample)
        #expect(try disclosedPhone(inst, consent.id) == 1, "the phone went to the Ausländerbehörde under abh-kontakt")

        // The Jobcenter line only: the Ausländerbehörde received nothing under it.
        let first = ExportHarness.now.addingTimeInterval(-2 * 86_400)
        _ = try inst.gate.withdrawConsent(id: consent.id, at: first, clauses: ["jobcenter"], recordedBy: Self.manager,
                                          actor: Actor(id: "test"), now: first)
        #expect(try inst.gate.erasureOwed(consentID: consent.id, subject: Self.subjectID, partner: "auslaenderbehoerde") == nil)
        #expect(try ErasureNoticeCheck.problem(in: inst.gate.database.writer) == nil)
        let quiet = try inst.run(ExportHarness.sample, now: ExportHarness.now.addingTimeInterval(60))
        #expect(quiet.partners.first { $0.partner == "auslaenderbehoerde" }?.notices == 0)

        // The line it did receive data under: owed from that withdrawal's time, sent with the next run.
        let second = ExportHarness.now.addingTimeInterval(-86_400)
        _ = try inst.gate.withdrawConsent(id: consent.id, at: second, clauses: ["abh-kontakt"], recordedBy: Self.manager,
                                          actor: Actor(id: "test"), now: second)
        #expect(try inst.gate.erasureOwed(consentID: consent.id, subject: Self.subjectID, partner: "auslaenderbehoerde") == second.wholeSecondForTest)
        let next = try inst.run(ExportHarness.sample, now: ExportHarness.now.addingTimeInterval(120))
        #expect(next.partners.first { $0.partner == "auslaenderbehoerde" }?.notices == 1)
        #expect(try ErasureNoticeCheck.problem(in: inst.gate.database.writer) == nil, "sent")
        let notices = try inst.gate.auditLog.entries(matching: AuditQuery(subject: Self.subjectID, kinds: [.erasureNotice]))
        #expect(notices.count == 1)
        // The row tells the partner which line was withdrawn: what it got under the others it keeps.
        let runFolder = inst.drive + "/Auslaenderbehoerde/" + ExportHarness.runFolders(inst.drive, "Auslaenderbehoerde").last!
        let rows = try ExportHarness.readPartnerCSV(runFolder + "/erasure-notices.csv").rows
        #expect(rows.map { $0[1] } == [consent.id])
        #expect(rows.first?[3].hasPrefix("Einzelne Zeilen der Einwilligung widerrufen (abh-kontakt):") == true, "\(rows)")
        // Which of the partner's columns held it (a line id alone told the partner nothing: a review, 2026-12-06).
        #expect(rows.first?[3].contains("(Art. 17, 19 DSGVO); Spalten: Telefon / ") == true, "\(rows)")
        #expect(rows.first?[3].hasSuffix("(GDPR Art. 17, 19); columns: Telefon") == true, "\(rows)")
        #expect(try disclosedPhone(inst, consent.id) == 1, "no later run released the phone on the withdrawn line")
    }

    /// How many export disclosures passed the subject's phone number on `consent`.
    func disclosedPhone(_ inst: ExportHarness.Installation, _ consent: String) throws -> Int {
        try inst.gate.auditLog.entries(matching: AuditQuery(subject: Self.subjectID, kinds: [.disclosure])).filter {
            if case let .disclosure(d) = $0.entry.content {
                return d.exportRun != nil && d.fields.contains { $0.field == "contact.phone" && $0.consent?.id == consent }
            }
            return false
        }.count
    }
}

private extension Date {
    /// The time cut to the whole second, as a signed withdrawal keeps it.
    var wholeSecondForTest: Date { Date(timeIntervalSince1970: timeIntervalSince1970.rounded(.down)) }
}
