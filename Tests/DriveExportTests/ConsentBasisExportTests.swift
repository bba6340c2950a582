import AuditLog
import ConsentRecords
import Foundation
import Gate
import PolicyEngine
import Signing
import Testing
@testable import DriveExport

/// What an export logs and sends is what went on which consent (found in a review from the partner's side, 2026-12-06):
/// a renewed consent (a new one granted, the old one withdrawn) sends the record again beside the notice about the old
/// one, relied on the new one; a released but empty cell is no data passed, so no disclosure, reliance or notice.
@Suite("Export disclosures follow the consent the data went on", .serialized)
struct ConsentBasisExportTests {
    static let manager = CaseManagerReference(caseManager: "cm.test", municipality: "Niederkassel")

    static func grant(_ inst: ExportHarness.Installation, _ subject: String, birth: String, municipality: String, at: Date) throws -> String {
        let (consent, _) = try inst.gate.grantConsent(GrantRequest(
            subject: Subject(id: subject, birthDate: RFC3339.parse(birth + "T00:00:00Z"), municipality: municipality),
            templateID: "kim-beratung", language: "de", clauses: ["abh-kontakt"], grantedAt: at, collectedBy: manager),
            actor: Actor(id: "test"), now: at)
        return consent.id
    }

    /// The Ausländerbehörde's rows for `subject` in the newest run folder (empty when that folder holds none).
    static func latestRows(_ inst: ExportHarness.Installation, _ subject: String) throws -> (rows: [[String: String]], notices: [[String]]) {
        let folder = inst.drive + "/Auslaenderbehoerde/" + (ExportHarness.runFolders(inst.drive, "Auslaenderbehoerde").last ?? "")
        let csv = try ExportHarness.readPartnerCSV(folder + "/registrations.csv")
        let rows = csv.rows.map { Dictionary(zip(csv.header, $0), uniquingKeysWith: { a, _ in a }) }.filter { $0["Fall-ID"] == subject }
        let noticeFile = folder + "/" + ErasureNotices.fileName
        let notices = FileManager.default.fileExists(atPath: noticeFile) ? try ExportHarness.readPartnerCSV(noticeFile).rows : []
        return (rows, notices)
    }

    /// Export disclosures of `subject` to the Ausländerbehörde: the consent ids their fields went on, per entry.
    static func consentsDisclosedOn(_ inst: ExportHarness.Installation, _ subject: String) throws -> [Set<String>] {
        try inst.gate.auditLog.entries(matching: AuditQuery(subject: subject, kinds: [.disclosure])).compactMap {
            guard case let .disclosure(d) = $0.entry.content, d.exportRun != nil, d.partner == "auslaenderbehoerde" else { return nil }
            return Set(d.fields.compactMap { $0.consent?.id })
        }
    }

    @Test("a renewed consent: the notice about the old one, and the record sent again on the new one in the same folder")
    func renewedConsentSendsTheRecordAgain() throws {
        let folder = try ExportHarness.tempDir("renewed-consent")
        let inst = try ExportHarness.open(dir: folder, policy: try ExportHarness.policyWithConsentColumn(in: folder.path))
        defer { inst.remove() }
        let subject = "RSK-2022-000006"   // an adult with a phone number in the sample
        let first = try Self.grant(inst, subject, birth: "1982-05-07", municipality: "Niederkassel", at: ExportHarness.now.addingTimeInterval(-30 * 86_400))
        _ = try inst.run(ExportHarness.sample)
        #expect(try Self.latestRows(inst, subject).rows.first?["Telefon"] == "+380 72 708 9137")
        #expect(try Self.consentsDisclosedOn(inst, subject) == [[first]])

        // The renewal: the new consent first, then the old one withdrawn.
        let renewedAt = ExportHarness.now.addingTimeInterval(-2 * 86_400)
        let second = try Self.grant(inst, subject, birth: "1982-05-07", municipality: "Niederkassel", at: renewedAt)
        _ = try inst.gate.withdrawConsent(id: first, at: renewedAt.addingTimeInterval(60), recordedBy: Self.manager, actor: Actor(id: "test"),
                                          now: renewedAt.addingTimeInterval(60))
        let run2 = try inst.run(ExportHarness.sample, now: ExportHarness.now.addingTimeInterval(60))
        #expect(run2.partners.first { $0.partner == "auslaenderbehoerde" }?.notices == 1)
        let (rows, notices) = try Self.latestRows(inst, subject)
        #expect(notices.map { $0[1] } == [first], "the partner is told about the withdrawn consent")
        #expect(rows.count == 1 && rows.first?["Telefon"] == "+380 72 708 9137", "and gets the record again, released on the new one: \(rows)")
        #expect(try Self.consentsDisclosedOn(inst, subject) == [[first], [second]])
        #expect(try inst.gate.erasureOwed(consentID: second, subject: subject, partner: "auslaenderbehoerde") == nil)
        #expect(try ErasureNoticeCheck.problem(in: inst.gate.database.writer) == nil)

        // Unchanged since: nothing sent.
        let run3 = try inst.run(ExportHarness.sample, now: ExportHarness.now.addingTimeInterval(120))
        #expect(run3.partners.first { $0.partner == "auslaenderbehoerde" }?.records == 0)

        // The new consent withdrawn too: the partner relied on it, so it is owed a notice about it.
        let end = ExportHarness.now.addingTimeInterval(130)
        _ = try inst.gate.withdrawConsent(id: second, at: end, recordedBy: Self.manager, actor: Actor(id: "test"), now: end)
        let run4 = try inst.run(ExportHarness.sample, now: ExportHarness.now.addingTimeInterval(180))
        #expect(run4.partners.first { $0.partner == "auslaenderbehoerde" }?.notices == 1)
        let last = try Self.latestRows(inst, subject)
        #expect(last.notices.map { $0[1] } == [second])
        #expect(last.rows.first?["Telefon"] == "", "the number is no longer released: \(last.rows)")
    }

    @Test("the notice went out while the person was not on the list: the record is sent again when it is back")
    func renewedConsentWhileOffTheList() throws {
        let folder = try ExportHarness.tempDir("renewed-off-list")
        let inst = try ExportHarness.open(dir: folder, policy: try ExportHarness.policyWithConsentColumn(in: folder.path))
        defer { inst.remove() }
        let subject = "RSK-2022-000006"
        let first = try Self.grant(inst, subject, birth: "1982-05-07", municipality: "Niederkassel", at: ExportHarness.now.addingTimeInterval(-30 * 86_400))
        _ = try inst.run(ExportHarness.sample)
        let renewedAt = ExportHarness.now.addingTimeInterval(-2 * 86_400)
        let second = try Self.grant(inst, subject, birth: "1982-05-07", municipality: "Niederkassel", at: renewedAt)
        _ = try inst.gate.withdrawConsent(id: first, at: renewedAt.addingTimeInterval(60), recordedBy: Self.manager, actor: Actor(id: "test"),
                                          now: renewedAt.addingTimeInterval(60))
        // The list of the notice's run lacks the person's row (moved out of the list for a day, or held in quarantine).
        let without = folder.path + "/without.csv"
        let sample = try String(contentsOfFile: ExportHarness.sample, encoding: .utf8)
        // The list has CRLF line ends, which a Swift `Character` holds whole.
        try sample.split(separator: "\r\n", omittingEmptySubsequences: false).filter { !$0.contains(";\(subject);") }
            .joined(separator: "\r\n").write(toFile: without, atomically: true, encoding: .utf8)
        let run2 = try inst.run(without, now: ExportHarness.now.addingTimeInterval(60))
        #expect(run2.partners.first { $0.partner == "auslaenderbehoerde" }?.notices == 1)
        #expect(try Self.latestRows(inst, subject).rows.isEmpty)
        // Back on the list, unchanged: sent again, on the new consent; after that, nothing.
        _ = try inst.run(ExportHarness.sample, now: ExportHarness.now.addingTimeInterval(120))
        let back = try Self.latestRows(inst, subject)
        #expect(back.rows.first?["Telefon"] == "+380 72 708 9137" && back.notices.isEmpty, "\(back)")
        #expect(try Self.consentsDisclosedOn(inst, subject) == [[first], [second]])
        let run4 = try inst.run(ExportHarness.sample, now: ExportHarness.now.addingTimeInterval(180))
        #expect(run4.partners.first { $0.partner == "auslaenderbehoerde" }?.records == 0)
        #expect(try ErasureNoticeCheck.problem(in: inst.gate.database.writer) == nil)
    }

    @Test("a released but empty cell is no data passed: no disclosure on the consent, no reliance, no notice")
    func emptyConsentCellIsNotDisclosed() throws {
        let folder = try ExportHarness.tempDir("empty-consent-cell")
        let inst = try ExportHarness.open(dir: folder, policy: try ExportHarness.policyWithConsentColumn(in: folder.path))
        defer { inst.remove() }
        let subject = "RSK-2022-000005"   // no phone number in the sample
        _ = try inst.run(ExportHarness.sample)
        let consent = try Self.grant(inst, subject, birth: "2007-11-01", municipality: "Neunkirchen-Seelscheid",
                                     at: ExportHarness.now.addingTimeInterval(-86_400))
        _ = try inst.run(ExportHarness.sample, now: ExportHarness.now.addingTimeInterval(60))
        let disclosed = try Self.consentsDisclosedOn(inst, subject)
        #expect(!disclosed.isEmpty && disclosed.allSatisfy(\.isEmpty), "no field went on the consent: \(disclosed)")
        let fields = try inst.gate.auditLog.entries(matching: AuditQuery(subject: subject, kinds: [.disclosure])).flatMap { e -> [String] in
            guard case let .disclosure(d) = e.entry.content else { return [] }
            return d.fields.map(\.field)
        }
        #expect(!fields.contains("contact.phone"), "\(fields)")
        #expect(try inst.gate.erasureOwed(consentID: consent, subject: subject, partner: "auslaenderbehoerde") == nil)

        let end = ExportHarness.now.addingTimeInterval(70)
        _ = try inst.gate.withdrawConsent(id: consent, at: end, recordedBy: Self.manager, actor: Actor(id: "test"), now: end)
        let run = try inst.run(ExportHarness.sample, now: ExportHarness.now.addingTimeInterval(120))
        #expect(run.partners.first { $0.partner == "auslaenderbehoerde" }?.notices == 0, "nothing was passed on it, so nothing to erase")
        #expect(try ErasureNoticeCheck.problem(in: inst.gate.database.writer) == nil)
    }
}
