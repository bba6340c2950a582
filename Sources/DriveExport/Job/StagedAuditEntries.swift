import AuditLog
import Foundation
import Gate

/// The audit side of a partner run. While the list is read, each exported record is staged compactly with
/// its ledger row (subject, municipality, disclosure shape id; `ExportStagedRecord`) and each distinct shape
/// once per run, so memory does not grow with the records and nothing is written twice at full size. When
/// the run is logged, the `disclosure` entries are rebuilt from those rows and the run's entry context
/// (`RunEntryContext`: time, actor, policy digest, purpose) — byte for byte what the run would have logged,
/// also when a killed run is finished by the next one — and appended in batches of `batchSize` (one durable
/// transaction and one signed checkpoint each), followed by one last batch with the erasure notices and the
/// `export-run` entry, which marks the run as logged.
///
/// The batches go through the audit log's pipelined `appendBatches(encoded:)`: while batch k's WAL fsync
/// runs, batch k+1 is committed and batch k+2 is built (read from the ledger, spliced, on a background queue) and hashed; each
/// batch is reported only once it is on disk.
enum StagedAuditEntries {
    /// Disclosures per audit batch: 5,000 (10,000 took the same time and 20 MB more memory at 100,000 rows), or `CONSENTGATE_EXPORT_AUDIT_BATCH` (tuning, and the crash tests).
    static let batchSize = ProcessInfo.processInfo.environment["CONSENTGATE_EXPORT_AUDIT_BATCH"].flatMap { Int($0) }.map { max(1, $0) } ?? 5_000

    /// Appends the staged disclosures of a pending run that are not in `skipping` (already logged by a killed
    /// run), then the erasure notices (each naming its lines, `clauses`, unless it is about the whole consent) and the
    /// `export-run` entry. `context` is the run's entry context (nil
    /// only for a run staged by an older version, whose rows carry the entry bytes themselves). `logged` is told the
    /// number of disclosures on disk after each batch (the progress line of a long run's logging).
    static func append(gate: Gate, runID: String, partner: String, purpose: String, inputSHA256: String,
                       records: Int, quarantined: Int, notices: [ExportNotice], skipping: Set<String>,
                       actor: String, at time: Date, context: RunEntryContext?,
                       logged: ((Int) -> Void)? = nil) throws {
        let signer = try gate.auditSigner()
        let source = StagedBatches(gate: gate, runID: runID, partner: partner, skipping: skipping, context: context)
        var reported = false
        // Pipelined: while batch k's WAL fsync runs, batch k+1 is committed and k+2 hashed; the batches are read
        // from the ledger and rebuilt on a background queue one ahead (`Prefetched`), off the committing thread.
        var count = 0
        try gate.auditLog.appendBatches(encoded: Prefetched(source, label: "consentgate.export.staged-batches"), signer: signer) { batch in
            if !reported { reported = true; CrashPoint.reached(.afterFirstBatch, partner: partner) }
            count += batch.count
            logged?(count)
        }
        if let error = source.failure { throw error }
        // The policy the run was decided under, as its disclosures carry it (a recovery after an upgrade that brought a
        // new policy wrote the new one here: found in a review of upgrades).
        let policyDigest = context?.policyDigest ?? gate.policy.digest
        var closing = notices.map { n in
            AuditEntry(time: time, actor: actor, policyDigest: policyDigest, content: .erasureNotice(
                ErasureNoticeRecord(subject: n.subject, reason: ErasureNoticeRecord.consentWithdrawnReason(n.consentID), notify: [partner],
                                    clauses: n.clauses)))
        }
        closing.append(AuditEntry(time: time, actor: actor, policyDigest: policyDigest, content: .exportRun(
            ExportRunRecord(runID: runID, partner: partner, purpose: purpose, inputDigest: "sha256:" + inputSHA256,
                            records: Int64(records), quarantined: Int64(quarantined)))))
        try gate.auditLog.append(closing, signer: signer)
    }
}

/// The staged disclosures of a pending run as a sequence of batches of rebuilt entries (`batchSize` each),
/// read page by page from the ledger as the audit log asks for the next one: memory holds a few batches.
/// First the compact rows (current staging), then rows staged by an older version with their entry bytes.
/// A failure ends the sequence early and is kept in `failure`, which the caller must check afterwards.
final class StagedBatches: Sequence, @unchecked Sendable {
    private let gate: Gate
    private let runID: String
    private let partner: String
    private let skipping: Set<String>
    private let context: RunEntryContext?
    /// The first error met while building batches (read after the sequence is exhausted).
    private(set) var failure: (any Error)?

    init(gate: Gate, runID: String, partner: String, skipping: Set<String>, context: RunEntryContext?) {
        self.gate = gate; self.runID = runID; self.partner = partner; self.skipping = skipping; self.context = context
    }

    func makeIterator() -> AnyIterator<[EncodedAuditEntry]> {
        var compact = CompactPages(owner: self)
        var legacyAfter: String? = ""
        return AnyIterator { [self] in
            guard failure == nil else { return nil }
            do {
                if let batch = try compact.next() { return batch }
                while let after = legacyAfter {
                    let page = try gate.exportLedger.pendingEntries(runID: runID, partner: partner, after: after,
                                                                    limit: StagedAuditEntries.batchSize)
                    guard let last = page.last else { legacyAfter = nil; break }
                    legacyAfter = last.subject
                    let entries = try page.filter { !skipping.contains($0.subject) }.map {
                        EncodedAuditEntry(try AuditEntry(bytes: $0.entry, context: "staged disclosure \(runID)/\(partner)/\($0.subject)"))
                    }
                    if !entries.isEmpty { return entries }
                }
                return nil
            } catch {
                failure = error
                return nil
            }
        }
    }

    /// Pages of compact staged rows rebuilt into entries with the run's template.
    private struct CompactPages {
        let owner: StagedBatches
        var prepared = false
        var done = false
        var after = ""
        var template: DisclosureEntryTemplate?
        var shapes: [Int32: DisclosureShape] = [:]
        /// Shapes without consent slots: the same released bytes for every record.
        var releasedOf: [Int32: [UInt8]] = [:]

        init(owner: StagedBatches) { self.owner = owner }

        mutating func next() throws -> [EncodedAuditEntry]? {
            guard let context = owner.context, !done else { return nil }
            let (gate, runID, partner) = (owner.gate, owner.runID, owner.partner)
            if !prepared {
                template = try context.template(partner: partner, runID: runID)
                shapes = try gate.exportLedger.pendingShapes(runID: runID, partner: partner).mapValues(DisclosureShape.init(description:))
                prepared = true
            }
            while true {
                let page = try gate.exportLedger.pendingRecords(runID: runID, partner: partner, after: after,
                                                                limit: StagedAuditEntries.batchSize)
                guard let last = page.last, let template else { done = true; return nil }
                after = last.subject
                var batch: [EncodedAuditEntry] = []
                batch.reserveCapacity(page.count)
                for r in page where !owner.skipping.contains(r.subject) {
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
                if !batch.isEmpty { return batch }
            }
        }
    }
}
