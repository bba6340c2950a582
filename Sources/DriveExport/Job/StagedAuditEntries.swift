import AuditLog
import Foundation
import Gate

/// The audit side of a partner run: the `disclosure` entries are staged with the ledger rows while the
/// list is read (so memory does not grow with the records) and appended when the run is logged, in
/// batches of `batchSize` (one durable transaction and one signed checkpoint each), followed by one last
/// batch with the erasure notices and the `export-run` entry, which marks the run as logged.
///
/// In the run that staged them, the job still knows each disclosure's index columns (`StagedColumns`), so the
/// staged canonical bytes are appended as they are (`AuditLogStore.append(encoded:)`), without parsing and
/// encoding them again. Recovery of a killed run does not know them and parses the staged bytes.
enum StagedAuditEntries {
    /// The index columns of a staged disclosure that its canonical bytes do not make cheap to read back: the
    /// rest (kind, time, actor, partner, purpose, subject) is the same for every disclosure of a partner run.
    struct StagedColumns {
        var municipality: String?
        var released: Int32
    }

    /// Disclosures per audit batch: 10,000, or `CONSENTGATE_EXPORT_AUDIT_BATCH` (tuning, and the crash tests).
    static let batchSize = ProcessInfo.processInfo.environment["CONSENTGATE_EXPORT_AUDIT_BATCH"].flatMap { Int($0) }.map { max(1, $0) } ?? 10_000

    /// Appends the staged disclosures of a pending run that are not in `skipping` (already logged by a killed
    /// run), then the erasure notices and the `export-run` entry.
    static func append(gate: Gate, runID: String, partner: String, purpose: String, inputSHA256: String,
                       records: Int, quarantined: Int, notices: [ExportReliance], skipping: Set<String>,
                       actor: String, at time: Date, columns: [String: StagedColumns]? = nil) throws {
        let timeText = AuditTime.format(time)
        var after = ""
        while true {
            let page = try gate.exportLedger.pendingEntries(runID: runID, partner: partner, after: after, limit: batchSize)
            guard let last = page.last else { break }
            after = last.subject
            let staged = page.filter { !skipping.contains($0.subject) }
            if let columns {
                // Staged by this process a moment ago from `AuditEntry.canonicalBytes()`, with these columns.
                let encoded = try staged.map { s in
                    guard let c = columns[s.subject] else {
                        throw DriveExportError.manifestMismatch(reason: "staged disclosure \(runID)/\(partner)/\(s.subject) without its columns")
                    }
                    return EncodedAuditEntry(canonicalBytes: s.entry, kind: .disclosure, time: timeText, actor: actor,
                                             municipality: c.municipality, subject: s.subject, partner: partner, purpose: purpose,
                                             releasedFieldCount: Int(c.released))
                }
                try gate.auditLog.append(encoded: encoded, signer: gate.auditSigner())
            } else {
                let entries = try staged.map {
                    try AuditEntry(bytes: $0.entry, context: "staged disclosure \(runID)/\(partner)/\($0.subject)")
                }
                try gate.record(entries)
            }
            CrashPoint.reached(.afterFirstBatch, partner: partner)
        }
        var closing = notices.map { n in
            AuditEntry(time: time, actor: actor, policyDigest: gate.policy.digest, content: .erasureNotice(
                ErasureNoticeRecord(subject: n.subject, reason: "consent-withdrawn:" + n.consentID, notify: [partner])))
        }
        closing.append(AuditEntry(time: time, actor: actor, policyDigest: gate.policy.digest, content: .exportRun(
            ExportRunRecord(runID: runID, partner: partner, purpose: purpose, inputDigest: "sha256:" + inputSHA256,
                            records: Int64(records), quarantined: Int64(quarantined)))))
        try gate.record(closing)
    }
}
