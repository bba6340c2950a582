import Diagnostics
import Foundation
import GRDB
import Testing
@testable import DriveExport

/// A run that fails after a partner's disclosures were logged and before its folder was published says so: the
/// operator reads that the data is in the audit log, that the prepared folder stays and that the next run publishes
/// it without passing the data again (before, only the cause was reported, e.g. a full drive). The exit code stays
/// the cause's.
@Suite struct DeliveryPendingMessageTests {
    @Test func aPublishFailingAfterLoggingNamesThePartnerAndWhatTheNextRunDoes() throws {
        let inst = try ExportHarness.open("delivery-pending")
        defer { inst.remove() }
        let error = Self.runWithManifestUnwritable(inst, partnerFolder: "Auslaenderbehoerde")
        guard case let .deliveryPending(partners, published, cause, category)? = error else {
            Issue.record("not deliveryPending: \(String(describing: error))")
            return
        }
        #expect(partners == ["auslaenderbehoerde"])
        #expect(published == [], "the first partner: nothing published before it")
        #expect(category == .storage, "the cause's exit code (5)")
        let de = error?.message(in: .de) ?? "", en = error?.message(in: .en) ?? ""
        #expect(de.hasPrefix(cause.de) && de.contains("Die Weitergabe an auslaenderbehoerde ist bereits im Prüfprotokoll verzeichnet"), "\(de)")
        #expect(de.contains("beim nächsten Lauf veröffentlicht"), "\(de)")
        #expect(en.contains("The disclosure to auslaenderbehoerde is already in the audit log") && en.contains("the next run publishes it"), "\(en)")
        // And the next run does what the message says.
        let next = try inst.run(ExportHarness.sample)
        #expect(next.recoveredRuns.filter { $0.partner == "auslaenderbehoerde" }.map(\.outcome) == [.publishedAndCommitted])
    }

    /// A later partner failing names the partners this run already published in full, and the message has one full stop
    /// between the cause and the rest (the full-disk review read "(errno 28).. Die Weitergabe …").
    @Test func aLaterPartnerFailingNamesWhatThisRunPublished() throws {
        let inst = try ExportHarness.open("delivery-pending-later")
        defer { inst.remove() }
        let error = Self.runWithManifestUnwritable(inst, partnerFolder: "Jugendamt")
        guard case let .deliveryPending(partners, published, _, _)? = error else {
            Issue.record("not deliveryPending: \(String(describing: error))")
            return
        }
        #expect(partners == ["jugendamt"])
        #expect(published == ["auslaenderbehoerde"])
        let de = error?.message(in: .de) ?? "", en = error?.message(in: .en) ?? ""
        #expect(de.contains("Vollständig veröffentlicht und protokolliert hat dieser Lauf schon: auslaenderbehoerde. Bitte die Ursache beheben"), "\(de)")
        #expect(en.contains("This run has already published and logged in full: auslaenderbehoerde. Fix the cause"), "\(en)")
        for message in [de, en] { #expect(!message.contains(".."), "\(message)") }
    }

    /// Every folder published and logged, and only marking them delivered fails: the message says so, and the next run
    /// marks them without passing anything again.
    @Test func aLedgerThatCannotBeCommittedSaysEverythingWentOut() throws {
        let inst = try ExportHarness.open("ledger-not-committed")
        defer { inst.remove() }
        // The database refuses the mark (a trigger standing in for a disk that fills at that moment).
        let other = try DatabaseQueue(path: inst.dir + "/consentgate.sqlite")
        try other.write { try $0.execute(sql: "CREATE TRIGGER refuse_commit BEFORE INSERT ON export_committed_run BEGIN SELECT RAISE(ABORT, 'refused for the test'); END") }
        let error = #expect(throws: ExportJobError.self) { try inst.run(ExportHarness.sample) }
        guard case let .ledgerNotCommitted(partners, _, category)? = error else {
            Issue.record("not ledgerNotCommitted: \(String(describing: error))")
            return
        }
        #expect(partners.sorted() == ["auslaenderbehoerde", "jugendamt", "schulamt"])
        #expect(category == .storage)
        let de = error?.message(in: .de) ?? "", en = error?.message(in: .en) ?? ""
        #expect(de.contains("sind veröffentlicht und im Prüfprotokoll verzeichnet; nur der Vermerk als übermittelt fehlt in der Datenbank"), "\(de)")
        #expect(en.contains("are published and in the audit log; only the note that they were delivered is missing"), "\(en)")

        try other.write { try $0.execute(sql: "DROP TRIGGER refuse_commit") }
        let next = try inst.run(ExportHarness.sample)
        #expect(Set(next.recoveredRuns.map(\.outcome)) == [.committed], "\(next.recoveredRuns)")
        #expect(next.partners.allSatisfy { $0.records == 0 }, "nothing passed a second time")
    }

    /// Runs the sample export with a folder where `partnerFolder`'s `manifest.json` belongs: writing it fails after that
    /// partner's entries were logged. The error the run ended with (a test failure when it did not end with one).
    static func runWithManifestUnwritable(_ inst: ExportHarness.Installation, partnerFolder: String) -> ExportJobError? {
        let folder = inst.drive + "/" + partnerFolder
        return #expect(throws: ExportJobError.self) {
            try ExportJob(gate: inst.gate).run(inst.options(input: ExportHarness.sample), progress: { p in
                guard p.pass == 2 else { return }
                for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where name.contains(".partial-") {
                    try? FileManager.default.createDirectory(atPath: folder + "/" + name + "/manifest.json", withIntermediateDirectories: false)
                }
            })
        }
    }

    /// A run that publishes what a failed run left and then fails itself says what it recovered: its error was only the
    /// cause before, and the operator did not learn that the Jugendamt's delivery went out in it (export review L3).
    @Test func aRunThatRecoversAndThenFailsNamesWhatItRecovered() throws {
        let inst = try ExportHarness.open("recovered-then-failed")
        defer { inst.remove() }
        guard case .deliveryPending(["jugendamt"], _, _, _)? = Self.runWithManifestUnwritable(inst, partnerFolder: "Jugendamt") else {
            Issue.record("the first run did not leave the Jugendamt's delivery pending")
            return
        }
        let error = Self.runWithManifestUnwritable(inst, partnerFolder: "Schulamt")
        guard case let .failedAfterRecovery(recovered, cause, category)? = error else {
            Issue.record("not failedAfterRecovery: \(String(describing: error))")
            return
        }
        // The Ausländerbehörde's folder went out in the first run, which failed before marking it delivered; the
        // Jugendamt's waited hidden on the drive.
        let jugendamt = try #require(recovered.first { $0.en.hasSuffix("/jugendamt: published and committed") }, "\(recovered)")
        #expect(jugendamt.de.hasSuffix("/jugendamt: veröffentlicht und abgeschlossen"), "\(jugendamt)")
        #expect(recovered.map(\.en).sorted() == [recovered.first { $0.en.hasSuffix("/auslaenderbehoerde: committed") }?.en ?? "ABH missing", jugendamt.en].sorted(),
                "\(recovered)")
        #expect(category == .storage, "the cause's exit code (5)")
        // The cause keeps its own words (Schulamt's logged delivery waits for the next run).
        #expect(cause.en.contains("The disclosure to schulamt is already in the audit log"), "\(cause.en)")
        let de = error?.message(in: .de) ?? "", en = error?.message(in: .en) ?? ""
        #expect(en.contains("Before that, this run handled interrupted runs (this stands although it failed afterwards): ")
                && en.contains(jugendamt.en), "\(en)")
        #expect(de.contains("Zuvor hat dieser Lauf abgebrochene Läufe nachgeholt") && de.contains(jugendamt.de), "\(de)")
        // The Jugendamt's folder is on the drive (published by the failed run), nothing hidden is left of it.
        let folders = try FileManager.default.contentsOfDirectory(atPath: inst.drive + "/Jugendamt")
        #expect(folders.contains { !$0.hasPrefix(".") }, "\(folders)")
    }

    @Test func aFailureBeforeAnyLoggingReportsOnlyItsCause() throws {
        let inst = try ExportHarness.open("delivery-none")
        defer { inst.remove() }
        let missing = inst.options(input: inst.dir + "/nope.csv")
        #expect(throws: ExportJobError.inputMissing(path: missing.input)) { try ExportJob(gate: inst.gate).run(missing) }
    }
}
