import AuditLog
import Foundation
import Gate
import Signing
import Testing
@testable import DriveExport

/// A run staged by an older version (whole per-field entries in `export_pending_ledger`, no entry context) and
/// killed between two audit batches is still finished by the next run: the rest of its staged entries are
/// logged exactly as staged, the folder is published and the ledger committed.
@Suite("Export recovery of a run staged by an older version", .serialized)
struct ExportLegacyRecoveryTests {
    @Test("a partly logged run staged with per-field entries: the rest logged byte for byte, published, committed")
    func legacyStagedRun() throws {
        let inst = try ExportHarness.open("legacy")
        defer { inst.remove() }
        let gate = inst.gate
        let ledger = gate.exportLedger
        let runID = "20261124T100000Z-0a0b0c0d", partner = "schulamt"
        let subjects = ["RSK-L-1", "RSK-L-2", "RSK-L-3"]
        let entries = try subjects.map { s in
            try AuditEntry(timeText: "2026-11-24T10:00:00Z", actor: "old-export", municipality: "Siegburg", policyDigest: gate.policy.digest,
                           content: .disclosure(.perField(partner: partner, purpose: "school-planning", subject: s, fields: [
                               DisclosedField(field: "case.id", basis: .statute, rule: "schulamt-planning", citation: "§ 1 SchulG"),
                               DisclosedField(field: "name.family", basis: .statute, rule: "schulamt-planning", citation: "§ 1 SchulG"),
                           ], exportRun: runID)))
        }
        // What the older version left: the run registered without entry context, rows with the entries' bytes,
        // the files staged, the manifest draft stored, and the first entry logged before the kill.
        try ledger.beginPending(runID: runID, partner: partner)
        try ledger.stage(runID: runID, partner: partner, rows: zip(subjects, entries).map {
            ExportLedgerRow(subject: $0, fingerprint: String(repeating: "ab", count: 32), consents: [], entry: $1.canonicalBytes())
        })
        let key = try gate.keyRing.signingKey(for: .exportSigner).privateKey
        let staged: (path: String, final: String, files: [WrittenFile])
        var keepStaging: PartnerRunStaging? = nil   // alive until the run: a dropped staging object removes its folder
        do {
            let lock = try DriveRunLock(drive: inst.drive)
            let staging = try PartnerRunStaging(drive: inst.drive, partnerFolder: "Schulamt", runID: runID, lock: lock)
            let csv = try staging.csvWriter(header: ["Fall-ID", "Familienname"])
            for s in subjects { try csv.write([s, "X"]) }
            try staging.add(csv.finish())
            staged = (staging.stagingPath, staging.finalPath, staging.files)
            keepStaging = staging
        }
        var draft = ManifestDraft(ExportManifest(
            runID: runID, partner: partner, purpose: "school-planning",
            policy: .init(id: gate.policy.bundle.id, version: gate.policy.bundle.version, digest: gate.policy.digest),
            inputSHA256: String(repeating: "0", count: 64), createdAt: ExportHarness.now.addingTimeInterval(-86_400),
            files: staged.files, signerKid: key.publicKey.kid, signerAlgorithm: key.algorithm, auditCheckpoint: nil))
        draft.quarantined = 0
        draft.actor = "old-export"
        try ledger.markReady(runID: runID, partner: partner, stagingPath: staged.path, finalPath: staged.final, manifest: try draft.jsonText())
        try gate.record([entries[0]])

        let summary = try inst.run(ExportHarness.sample)
        withExtendedLifetime(keepStaging) {}
        #expect(summary.recovered.contains("\(runID)/\(partner): partly logged; rest of the audit entries appended"), "\(summary.recovered)")
        #expect(summary.recovered.contains("\(runID)/\(partner): published and committed"), "\(summary.recovered)")
        let logged = try gate.auditLog.entries(matching: AuditQuery(partner: partner, kinds: [.disclosure])).filter {
            if case .disclosure(let d) = $0.entry.content { d.exportRun == runID } else { false }
        }
        #expect(logged.map(\.entry) == entries, "each staged entry logged once, as staged (per-field layout kept)")
        for (stored, entry) in zip(logged, entries) { #expect(try gate.auditLog.entryBytes(index: stored.index) == entry.canonicalBytes()) }
        #expect(try ExportHarness.opensslVerifies(staged.final))
        #expect(try ledger.pendingRuns().isEmpty)
        #expect(try gate.auditLog.verify(key: gate.auditVerifierKey()).size == (try gate.auditLog.size()))
    }
}
