import AuditLog
import Dispatch
import Foundation
import Gate
import Synchronization

/// The audit side of a partner run. While the list is read, each exported record is staged compactly with
/// its ledger row (subject, municipality, disclosure shape id; `ExportStagedRecord`) and each distinct shape
/// once per run, so memory does not grow with the records and nothing is written twice at full size. When
/// the run is logged, the `disclosure` entries are rebuilt from those rows and the run's entry context
/// (`RunEntryContext`: time, actor, policy digest, purpose) — byte for byte what the run would have logged,
/// also when a killed run is finished by the next one — and appended in batches of `batchSize` (one durable
/// transaction and one signed checkpoint each), followed by one last batch with the erasure notices and the
/// `export-run` entry, which marks the run as logged.
///
/// Building batch n+1 (reading the staged rows, splicing the entries) overlaps with appending batch n on a
/// second thread: the database takes one writer at a time, the reader runs beside it.
enum StagedAuditEntries {
    /// Disclosures per audit batch: 10,000, or `CONSENTGATE_EXPORT_AUDIT_BATCH` (tuning, and the crash tests).
    static let batchSize = ProcessInfo.processInfo.environment["CONSENTGATE_EXPORT_AUDIT_BATCH"].flatMap { Int($0) }.map { max(1, $0) } ?? 10_000

    /// Appends the staged disclosures of a pending run that are not in `skipping` (already logged by a killed
    /// run), then the erasure notices and the `export-run` entry. `context` is the run's entry context (nil
    /// only for a run staged by an older version, whose rows carry the entry bytes themselves).
    static func append(gate: Gate, runID: String, partner: String, purpose: String, inputSHA256: String,
                       records: Int, quarantined: Int, notices: [ExportReliance], skipping: Set<String>,
                       actor: String, at time: Date, context: RunEntryContext?) throws {
        let signer = try gate.auditSigner()
        let appender = BatchAppender(gate: gate, signer: signer, partner: partner)
        if let context {
            let template = try context.template(partner: partner, runID: runID)
            let shapes = try gate.exportLedger.pendingShapes(runID: runID, partner: partner).mapValues(DisclosureShape.init(description:))
            var releasedOf: [Int32: [UInt8]] = [:]   // shapes without consent slots: the same bytes for every record
            var after = ""
            while true {
                let page = try gate.exportLedger.pendingRecords(runID: runID, partner: partner, after: after, limit: batchSize)
                guard let last = page.last else { break }
                after = last.subject
                var batch: [EncodedAuditEntry] = []
                batch.reserveCapacity(page.count)
                for r in page where !skipping.contains(r.subject) {
                    guard let shape = shapes[r.shape] else {
                        throw DriveExportError.manifestMismatch(reason: "staged record \(runID)/\(partner)/\(r.subject) names unknown shape \(r.shape)")
                    }
                    let released: [UInt8]
                    if shape.slotCount == 0 {
                        if let b = releasedOf[r.shape] { released = b } else {
                            released = DisclosureEntryTemplate.released(try shape.released(consents: []))
                            releasedOf[r.shape] = released
                        }
                    } else {
                        released = DisclosureEntryTemplate.released(try shape.released(consents: r.consents))
                    }
                    batch.append(template.encoded(subject: r.subject, municipality: r.municipality, released: released,
                                                  fieldCount: shape.fieldCount))
                }
                try appender.submit(batch)
            }
        }
        // Rows staged by an older version with the entry bytes (a run killed before an upgrade).
        var after = ""
        while true {
            let page = try gate.exportLedger.pendingEntries(runID: runID, partner: partner, after: after, limit: batchSize)
            guard let last = page.last else { break }
            after = last.subject
            let entries = try page.filter { !skipping.contains($0.subject) }.map {
                EncodedAuditEntry(try AuditEntry(bytes: $0.entry, context: "staged disclosure \(runID)/\(partner)/\($0.subject)"))
            }
            try appender.submit(entries)
        }
        try appender.finish()
        var closing = notices.map { n in
            AuditEntry(time: time, actor: actor, policyDigest: gate.policy.digest, content: .erasureNotice(
                ErasureNoticeRecord(subject: n.subject, reason: "consent-withdrawn:" + n.consentID, notify: [partner])))
        }
        closing.append(AuditEntry(time: time, actor: actor, policyDigest: gate.policy.digest, content: .exportRun(
            ExportRunRecord(runID: runID, partner: partner, purpose: purpose, inputDigest: "sha256:" + inputSHA256,
                            records: Int64(records), quarantined: Int64(quarantined)))))
        try gate.auditLog.append(closing, signer: signer)
    }
}

/// Appends batches on a background queue, one at a time, while the caller builds the next: at most one batch
/// waits and one is being appended, so memory holds two batches at most. The first failure stops the rest.
final class BatchAppender: @unchecked Sendable {
    private let gate: Gate
    private let signer: NoteSigner
    private let partner: String
    private let queue = DispatchQueue(label: "consentgate.export.audit-append")
    private let slots = DispatchSemaphore(value: 1)
    private let failure = Mutex<(any Error)?>(nil)

    init(gate: Gate, signer: NoteSigner, partner: String) { self.gate = gate; self.signer = signer; self.partner = partner }

    /// Queues `batch` (waiting while the previous one is still being appended); rethrows an earlier failure.
    func submit(_ batch: [EncodedAuditEntry]) throws {
        guard !batch.isEmpty else { return }
        slots.wait()
        if let e = failure.withLock({ $0 }) { slots.signal(); throw e }
        queue.async { [self] in
            defer { slots.signal() }
            do {
                try gate.auditLog.append(encoded: batch, signer: signer)
                CrashPoint.reached(.afterFirstBatch, partner: partner)
            } catch { failure.withLock { $0 = $0 ?? error } }
        }
    }

    /// Waits for the last batch; rethrows the first failure.
    func finish() throws {
        queue.sync {}
        if let e = failure.withLock({ $0 }) { throw e }
    }
}
