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
        let folder = try ExportHarness.tempDir("notice-check")
        let inst = try ExportHarness.open(dir: folder, policy: try ExportHarness.policyWithConsentColumn(in: folder.path))
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

    /// A case manager's notice to the same partner about data it got by referral (`Gate.recordReferralNotice`, channel
    /// `referral`) does not stand for the export's notice: with the export's notice suppressed, the finding stays.
    @Test("a referral notice to the same partner does not cover the export's notice")
    func referralNoticeDoesNotCoverTheExportsNotice() throws {
        let (inst, consent, disclosure) = try withdrawnAfterExport()
        defer { inst.remove() }
        let gate = inst.gate
        let referral = AuditEntry(time: ExportHarness.now.addingTimeInterval(-2 * 86_400), actor: "cm.test", municipality: "Niederkassel",
                                  policyDigest: gate.policy.digest,
                                  content: .disclosure(DisclosureRecord(partner: "auslaenderbehoerde", purpose: "residence", subject: Self.subjectID,
                                                                        fields: [DisclosedField(field: "contact.phone", basis: .consent, rule: nil, citation: nil,
                                                                                                consent: ConsentReference(id: consent, clause: "abh-kontakt"))],
                                                                        exportRun: nil, referral: "REF-1")))
        _ = try gate.record([referral])
        _ = try gate.recordReferralNotice(consentID: consent, partner: "auslaenderbehoerde", actor: Actor(id: "cm.test", municipality: "Niederkassel"))
        #expect(try ErasureNoticeCheck.problem(in: gate.database.writer) == nil, "the export's notice is still due")
        try sqlite(inst, "DELETE FROM export_reliance WHERE consent_id = '\(consent)'")
        #expect(try ErasureNoticeCheck.problem(in: gate.database.writer)
                == .noticeSuppressed(consentID: consent, partner: "auslaenderbehoerde", subject: Self.subjectID, disclosureIndex: disclosure))
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

    /// The installation reopened with its policy's Ausländerbehörde export profile removed (the partner stays in the
    /// catalog: its rules and folder are still there).
    func withoutAuslaenderbehoerdeProfile(_ inst: ExportHarness.Installation) throws -> ExportHarness.Installation {
        let target = inst.dir + "/policy-without-abh"
        try FileManager.default.copyItem(atPath: inst.dir + "/policy", toPath: target)
        let exports = target + "/exports.yaml"
        var text = try String(contentsOfFile: exports, encoding: .utf8)
        let start = try #require(text.range(of: "  auslaenderbehoerde-registrierung:"))
        let end = try #require(text.range(of: "  schulamt-schulplanung:"))
        text.removeSubrange(start.lowerBound..<end.lowerBound)
        try text.write(toFile: exports, atomically: true, encoding: .utf8)
        return try ExportHarness.open(dir: inst.folder, policy: target)
    }

    @Test("the partner's export profile removed after the withdrawal: the notice still goes to its folder, signed and logged")
    func noticeToAPartnerWithoutProfile() throws {
        let (first, consent, _) = try withdrawnAfterExport()
        defer { first.remove() }
        let inst = try withoutAuslaenderbehoerdeProfile(first)
        #expect(!inst.gate.policy.exports.contains { $0.partner == "auslaenderbehoerde" })
        let before = ExportHarness.runFolders(inst.drive, "Auslaenderbehoerde")
        let dry = try inst.run(ExportHarness.sample, dryRun: true, now: ExportHarness.now.addingTimeInterval(60))
        #expect(dry.partners.first { $0.partner == "auslaenderbehoerde" }.map { ($0.records, $0.notices, $0.path) } ?? (-1, -1, "") == (0, 1, nil))

        let next = try inst.run(ExportHarness.sample, now: ExportHarness.now.addingTimeInterval(60))
        let outcome = try #require(next.partners.first { $0.partner == "auslaenderbehoerde" }, "\(next.partners)")
        #expect(outcome.records == 0 && outcome.notices == 1 && outcome.columns.isEmpty)
        let folder = try #require(outcome.path)
        #expect(ExportHarness.runFolders(inst.drive, "Auslaenderbehoerde").count == before.count + 1)
        #expect(try ExportHarness.opensslVerifies(folder), "signed like every run folder")
        let manifest = try ExportHarness.manifest(folder)
        #expect(manifest["purpose"] as? String == "residence-registration", "the purpose of the partner's last export run")
        let notices = try ExportHarness.readPartnerCSV(folder + "/erasure-notices.csv")
        #expect(notices.rows.count == 1 && notices.rows.first?.prefix(2) == [Self.subjectID, consent])
        let records = try ExportHarness.readPartnerCSV(folder + "/registrations.csv")
        #expect(records.header == ["Fall-ID"] && records.rows.isEmpty, "no records, a readable CSV: \(records)")
        let logged = try inst.gate.auditLog.entries(matching: AuditQuery(subject: Self.subjectID, kinds: [.erasureNotice])).compactMap {
            if case let .erasureNotice(n) = $0.entry.content { return n } else { return nil }
        }
        #expect(logged.map(\.notify) == [["auslaenderbehoerde"]] && logged.first?.reason == ErasureNoticeRecord.consentWithdrawnReason(consent))
        #expect(try StoreChecks.problem(in: inst.gate.database.writer) == nil)
        // Sent once: the next run has nothing for the partner.
        let again = try inst.run(ExportHarness.sample, now: ExportHarness.now.addingTimeInterval(120))
        #expect(!again.partners.contains { $0.partner == "auslaenderbehoerde" }, "\(again.partners)")
        #expect(ExportHarness.runFolders(inst.drive, "Auslaenderbehoerde").count == before.count + 1)
    }

    @Test("a notice owed to a partner no longer in the policy at all: not written, still due, named in the summary")
    func noticeToAPartnerNoLongerInThePolicy() throws {
        let (first, _, _) = try withdrawnAfterExport()
        defer { first.remove() }
        let inst = try withoutAuslaenderbehoerdeProfile(first)
        // A partner the catalog no longer has (the shipped rules still name the Ausländerbehörde, so the ledger is
        // moved to a partner id the policy does not know, as after a catalog change).
        try sqlite(inst, "UPDATE export_reliance SET partner = 'ehemalige-stelle' WHERE partner = 'auslaenderbehoerde'")
        let next = try inst.run(ExportHarness.sample, now: ExportHarness.now.addingTimeInterval(60))
        #expect(next.undeliverableNotices == ["ehemalige-stelle": 1])
        #expect(next.undeliverableLines(in: .de) == ["Achtung: 1 Löschhinweis(e) an ehemalige-stelle fällig, aber der Partner steht nicht mehr in der Richtlinie (kein Ordner bekannt): nicht geschrieben, bleiben fällig; den Partner auf anderem Weg benachrichtigen (Art. 19 DSGVO)"])
        #expect(next.undeliverableLines(in: .en).first?.hasPrefix("Attention: 1 erasure notice(s) due to ehemalige-stelle") == true)
        #expect(!next.partners.contains { $0.partner == "ehemalige-stelle" || $0.partner == "auslaenderbehoerde" })
        #expect(try inst.gate.exportLedger.unnotifiedReliance(partner: "ehemalige-stelle").count == 1, "still due")
    }

    @Test("a notices-only run killed after logging its notice: the next run publishes it, the notice logged and sent once",
          arguments: ["after-audit", "after-publish"])
    func noticesOnlyRunKilled(point: String) throws {
        let binary = ExportHarness.root.appendingPathComponent(".build/debug/consentgate").path
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build first: swift build --build-tests")
        let (first, consent, _) = try withdrawnAfterExport()
        defer { first.remove() }
        let inst = try withoutAuslaenderbehoerdeProfile(first)
        let before = ExportHarness.runFolders(inst.drive, "Auslaenderbehoerde").count
        let child = try Spawn.run(binary, ["export", "--demo", "--db", inst.dir + "/consentgate.sqlite", "--policy", inst.dir + "/policy-without-abh",
                                           "--trust", ExportHarness.root.appendingPathComponent("keys/trust.yaml").path,
                                           "--input", ExportHarness.sample, "--drive", inst.drive, "--quarantine-dir", inst.dir + "/reports"],
                                  environment: .inherited(overriding: ["CONSENTGATE_EXPORT_CRASH_AT": point + ":auslaenderbehoerde"]),
                                  stdout: .null, stderr: .null)
        #expect(child.termination == .signalled(SIGKILL))
        #expect(ExportHarness.runFolders(inst.drive, "Auslaenderbehoerde").count == before + (point == "after-publish" ? 1 : 0))

        let next = try inst.run(ExportHarness.sample, now: Date())
        let expected = point == "after-publish" ? "committed" : "published and committed"
        #expect(next.recovered.contains { $0.hasSuffix("/auslaenderbehoerde: " + expected) }, "\(next.recovered)")
        #expect(!next.partners.contains { $0.partner == "auslaenderbehoerde" }, "nothing left to send: \(next.partners)")
        let folders = ExportHarness.runFolders(inst.drive, "Auslaenderbehoerde")
        try #require(folders.count == before + 1)
        let folder = inst.drive + "/Auslaenderbehoerde/" + folders.last!
        #expect(try ExportHarness.opensslVerifies(folder))
        #expect(try ExportHarness.readPartnerCSV(folder + "/erasure-notices.csv").rows.map { $0[1] } == [consent])
        let notices = try inst.gate.auditLog.entries(matching: AuditQuery(subject: Self.subjectID, kinds: [.erasureNotice]))
        #expect(notices.count == 1, "logged once")
        #expect(try StoreChecks.problem(in: inst.gate.database.writer) == nil)
    }
}
