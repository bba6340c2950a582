import Diagnostics
import Foundation
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
        let partnerFolder = inst.drive + "/Auslaenderbehoerde"
        // A folder where the Ausländerbehörde's manifest.json belongs: writing it fails after its entries were logged.
        let error = #expect(throws: ExportJobError.self) {
            try ExportJob(gate: inst.gate).run(inst.options(input: ExportHarness.sample), progress: { p in
                guard p.pass == 2 else { return }
                for name in (try? FileManager.default.contentsOfDirectory(atPath: partnerFolder)) ?? [] where name.contains(".partial-") {
                    try? FileManager.default.createDirectory(atPath: partnerFolder + "/" + name + "/manifest.json", withIntermediateDirectories: false)
                }
            })
        }
        guard case let .deliveryPending(partners, cause, category)? = error else {
            Issue.record("not deliveryPending: \(String(describing: error))")
            return
        }
        #expect(partners == ["auslaenderbehoerde"])
        #expect(category == .storage, "the cause's exit code (5)")
        let de = error?.message(in: .de) ?? "", en = error?.message(in: .en) ?? ""
        #expect(de.hasPrefix(cause.de) && de.contains("Die Weitergabe an auslaenderbehoerde ist bereits im Prüfprotokoll verzeichnet"), "\(de)")
        #expect(de.contains("beim nächsten Lauf veröffentlicht"), "\(de)")
        #expect(en.contains("The disclosure to auslaenderbehoerde is already in the audit log") && en.contains("the next run publishes it"), "\(en)")
        // And the next run does what the message says.
        let next = try inst.run(ExportHarness.sample)
        #expect(next.recoveredRuns.filter { $0.partner == "auslaenderbehoerde" }.map(\.outcome) == [.publishedAndCommitted])
    }

    @Test func aFailureBeforeAnyLoggingReportsOnlyItsCause() throws {
        let inst = try ExportHarness.open("delivery-none")
        defer { inst.remove() }
        let missing = inst.options(input: inst.dir + "/nope.csv")
        #expect(throws: ExportJobError.inputMissing(path: missing.input)) { try ExportJob(gate: inst.gate).run(missing) }
    }
}
