import AuditLog
import ConsentRecords
import Foundation
import Gate
import Signing
import Synchronization
import Testing
@testable import DriveExport

/// A withdrawal recorded while an export run is going on (found in a concurrency review, 2026-12-07: a consent withdrawn
/// 3–8.5 s into a 10 s run still released the person's data in that run, and the partner got it after the withdrawal).
/// The run reads each person's consents when it reaches the row; what it decided on a consent withdrawn since is decided
/// again before anything is logged, or, once logging began, the partner's part waits for the next run.
@Suite("A consent withdrawn during an export run releases nothing in that run", .serialized)
struct WithdrawalDuringRunTests {
    static let subject = "RSK-2022-000006"   // an adult with a phone number in the sample
    static let phone = "+380 72 708 9137"
    static let manager = ConsentBasisExportTests.manager

    /// Runs the export on the sample, calling `during` once, at the first progress report that `when` picks.
    static func run(_ inst: ExportHarness.Installation, when: @escaping @Sendable (ExportProgress) -> Bool,
                    during: @escaping @Sendable () throws -> Void) throws -> ExportSummary {
        let done = Mutex(false)
        let failure = Mutex<(any Error)?>(nil)
        let summary = try ExportJob(gate: inst.gate).run(inst.options(input: ExportHarness.sample)) { p in
            guard when(p), done.withLock({ d in defer { d = true }; return !d }) else { return }
            do { try during() } catch { failure.withLock { $0 = error } }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        #expect(done.withLock { $0 }, "the withdrawal was made during the run")
        return summary
    }

    static func withdraw(_ inst: ExportHarness.Installation, _ consent: String) throws {
        _ = try inst.gate.withdrawConsent(id: consent, at: ExportHarness.now, recordedBy: manager, actor: Actor(id: "test"),
                                          now: ExportHarness.now)
    }

    /// Nothing of a run is left pending or hidden on the drive.
    static func expectNothingLeft(_ inst: ExportHarness.Installation) throws {
        #expect(try inst.gate.exportLedger.pendingRuns().isEmpty)
        let hidden = ExportHarness.allEntries(inst.drive).filter { $0.split(separator: "/").last?.hasPrefix(".") == true }
        #expect(hidden.isEmpty, "no staging folder left: \(hidden)")
        #expect(try ErasureNoticeCheck.problem(in: inst.gate.database.writer) == nil)
    }

    @Test("withdrawn after the person's row was decided: the records are decided again, the phone number stays home")
    func decidedAgain() throws {
        let folder = try ExportHarness.tempDir("withdrawn-during-pass-2")
        let inst = try ExportHarness.open(dir: folder, policy: try ExportHarness.policyWithConsentColumn(in: folder.path))
        defer { inst.remove() }
        let consent = try ConsentBasisExportTests.grant(inst, Self.subject, birth: "1982-05-07", municipality: "Niederkassel",
                                                        at: ExportHarness.now.addingTimeInterval(-30 * 86_400))
        // At the end of pass 2 every row is decided (the sample is one chunk), so the person's row was decided on the consent.
        let summary = try Self.run(inst, when: { $0.pass == 2 }, during: { try Self.withdraw(inst, consent) })

        #expect(summary.withdrawalsDuringRun == 1)
        #expect(summary.withdrawalLines(in: .en) == ["Note: 1 consent(s) that records of this run relied on were withdrawn during the run; the records were decided again (run \(summary.runID))"])
        #expect(summary.deferredPartners.isEmpty)
        #expect(summary.phases.map(\.name).contains("pass 2 (discarded: consents withdrawn meanwhile)"))
        // Decided again from now (the test's run time is an earlier day): pass 1 again, for the new day's households.
        #expect(summary.phases.map(\.name).contains("pass 1 (again: the run's day changed)"))
        let abh = try #require(summary.partners.first { $0.partner == "auslaenderbehoerde" })
        #expect(abh.path?.hasSuffix("/" + summary.runID) == true, "published under the id of the run that decided again")
        #expect(ExportHarness.runFolders(inst.drive, "Auslaenderbehoerde") == [summary.runID], "one folder: the first attempt's is gone")
        let rows = try ConsentBasisExportTests.latestRows(inst, Self.subject).rows
        #expect(rows.count == 1 && rows.first?["Telefon"] == "", "the record goes on its statutory basis, without the number: \(rows)")
        #expect(try ConsentBasisExportTests.consentsDisclosedOn(inst, Self.subject) == [[]], "no disclosure relies on the consent")
        #expect(try inst.gate.exportLedger.unnotifiedReliance(partner: "auslaenderbehoerde").allSatisfy { $0.consentID != consent },
                "nothing went on it")
        try Self.expectNothingLeft(inst)
        // So no notice is owed to the partner about it.
        let next = try inst.run(ExportHarness.sample, now: ExportHarness.now.addingTimeInterval(60))
        #expect(next.partners.allSatisfy { $0.notices == 0 })
    }

    @Test("a withdrawal of a consent the run does not rely on changes nothing")
    func unrelatedWithdrawal() throws {
        let folder = try ExportHarness.tempDir("unrelated-withdrawal")
        let inst = try ExportHarness.open(dir: folder, policy: try ExportHarness.policyWithConsentColumn(in: folder.path))
        defer { inst.remove() }
        _ = try ConsentBasisExportTests.grant(inst, Self.subject, birth: "1982-05-07", municipality: "Niederkassel",
                                              at: ExportHarness.now.addingTimeInterval(-30 * 86_400))
        // Someone not on the list.
        let other = try ConsentBasisExportTests.grant(inst, "RSK-2099-000001", birth: "1980-01-01", municipality: "Niederkassel",
                                                      at: ExportHarness.now.addingTimeInterval(-30 * 86_400))
        let summary = try Self.run(inst, when: { $0.pass == 2 }, during: { try Self.withdraw(inst, other) })
        #expect(summary.withdrawalsDuringRun == 0)
        #expect(!summary.phases.map(\.name).contains("pass 2 (discarded: consents withdrawn meanwhile)"))
        #expect(try ConsentBasisExportTests.latestRows(inst, Self.subject).rows.first?["Telefon"] == Self.phone)
        try Self.expectNothingLeft(inst)
    }

    @Test("withdrawn while an earlier partner is logged: that partner's part waits for the next run, which decides it afresh")
    func deferredPartner() throws {
        let folder = try ExportHarness.tempDir("withdrawn-during-logging")
        let policy = try ExportHarness.policyWithConsentColumn(in: folder.path)
        try Self.moveAuslaenderbehoerdeLast(policy)
        let inst = try ExportHarness.open(dir: folder, policy: policy)
        defer { inst.remove() }
        let consent = try ConsentBasisExportTests.grant(inst, Self.subject, birth: "1982-05-07", municipality: "Niederkassel",
                                                        at: ExportHarness.now.addingTimeInterval(-30 * 86_400))
        #expect(try ExportPlan(policy: inst.gate.policy).partners.last?.partner == "auslaenderbehoerde")
        // While the Schulamt's disclosures are logged (the Ausländerbehörde's come after).
        let summary = try Self.run(inst, when: { $0.pass == 3 && $0.partner == "schulamt" }, during: { try Self.withdraw(inst, consent) })

        #expect(summary.withdrawalsDuringRun == 0, "pass 2 had ended")
        #expect(summary.deferredPartners == ["auslaenderbehoerde"])
        let abh = try #require(summary.partners.first { $0.partner == "auslaenderbehoerde" })
        #expect(abh.path == nil && abh.records == 0, "nothing counted as exported")
        let held = try #require(summary.deferred.first)
        #expect(held.partner == "auslaenderbehoerde" && held.records > 0 && held.notices == 0)
        #expect(summary.partners.first { $0.partner == "schulamt" }?.path != nil, "the partners before it are delivered")
        #expect(ExportHarness.runFolders(inst.drive, "Auslaenderbehoerde").isEmpty)
        #expect(try inst.gate.auditLog.entries(matching: AuditQuery(partner: "auslaenderbehoerde", kinds: [.disclosure])).isEmpty,
                "nothing of the deferred part is logged")
        #expect(summary.withdrawalLines(in: .de) == ["Achtung: auslaenderbehoerde in diesem Lauf nicht beliefert (\(held.records) Datensätze, 0 Löschhinweise zurückgestellt): eine Einwilligung, auf die sich Datensätze stützten, wurde während des Laufs widerrufen; nichts davon wurde protokolliert, der nächste Lauf entscheidet sie neu"])
        #expect(summary.unpublishedFolderCell(partner: "auslaenderbehoerde", in: .en) == "(deferred)")
        #expect(summary.unpublishedFolderCell(partner: "jugendamt", in: .de) == "(nichts Neues)")
        try Self.expectNothingLeft(inst)

        // The next run sends the Ausländerbehörde everything, decided afresh: the record without the number.
        let next = try inst.run(ExportHarness.sample, now: ExportHarness.now.addingTimeInterval(60))
        #expect(next.deferredPartners.isEmpty)
        let published = try abhRecords(inst)
        #expect(published > 0 && next.partners.first { $0.partner == "auslaenderbehoerde" }?.records == published)
        #expect(published == held.records, "the next run sends what this one held back")
        let rows = try ConsentBasisExportTests.latestRows(inst, Self.subject).rows
        #expect(rows.count == 1 && rows.first?["Telefon"] == "", "\(rows)")
        #expect(try ConsentBasisExportTests.consentsDisclosedOn(inst, Self.subject) == [[]])
        try Self.expectNothingLeft(inst)
    }

    /// The Ausländerbehörde's records in its only run folder.
    func abhRecords(_ inst: ExportHarness.Installation) throws -> Int {
        let folder = inst.drive + "/Auslaenderbehoerde/" + (ExportHarness.runFolders(inst.drive, "Auslaenderbehoerde").last ?? "")
        return try ExportHarness.readPartnerCSV(folder + "/registrations.csv").rows.count
    }

    /// Renames the Ausländerbehörde's export profile in `exports.yaml` so that it comes after the others (profiles are
    /// taken in the order of their ids).
    static func moveAuslaenderbehoerdeLast(_ policy: String) throws {
        let path = policy + "/exports.yaml"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("  auslaenderbehoerde-registrierung:\n"))
        try text.replacingOccurrences(of: "  auslaenderbehoerde-registrierung:\n", with: "  zz-auslaenderbehoerde-registrierung:\n")
            .write(toFile: path, atomically: true, encoding: .utf8)
    }
}
