#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Gate
import Signing

/// The manifest of a staged partner run without its checkpoint, kept in the ledger so a killed run's
/// logged-but-unpublished folder can be finished.
struct ManifestDraft: Codable, Equatable {
    var runID, partner, purpose, policyID, policyVersion, policyDigest, inputSHA256, createdAt, signerKid: String
    var algorithm: SignatureAlgorithm
    var files: [WrittenFile]
    /// Quarantined rows of the run and who ran it, for the `export-run` entry a recovery may have to write.
    var quarantined: Int?
    var actor: String?

    init(_ m: ExportManifest) {
        runID = m.runID; partner = m.partner; purpose = m.purpose; policyID = m.policy.id; policyVersion = m.policy.version
        policyDigest = m.policy.digest; inputSHA256 = m.inputSHA256; createdAt = RFC3339.format(m.createdAt)
        signerKid = m.signerKid; algorithm = m.signerAlgorithm; files = m.files
    }

    func jsonText() throws -> String { String(decoding: try JSONEncoder().encode(self), as: UTF8.self) }

    func manifest(checkpoint: String?) -> ExportManifest {
        ExportManifest(runID: runID, partner: partner, purpose: purpose,
                       policy: .init(id: policyID, version: policyVersion, digest: policyDigest), inputSHA256: inputSHA256,
                       createdAt: RFC3339.parse(createdAt) ?? Date(), files: files, signerKid: signerKid,
                       signerAlgorithm: algorithm, auditCheckpoint: checkpoint)
    }
}

/// Finishing what a killed run left (run under the database's export lock and the drive lock, so no pending run
/// it sees belongs to a run still going on; before stale staging folders are removed):
///
/// - logged (its `export-run` entry is in the audit log) and published: the ledger is committed;
/// - logged, not published, staging folder complete: the manifest is written and signed, the folder
///   published, the ledger committed (so logged data is always delivered, and never logged twice);
/// - not logged: the pending rows are dropped; the staging folder is removed and the records are
///   exported again by this run.
public struct ExportRecovery: Sendable {
    /// The installation whose export ledger and audit log tell which pending runs to finish or drop.
    public let gate: Gate
    /// A recovery over `gate`'s database and keys.
    public init(gate: Gate) { self.gate = gate }

    /// Returns what was done, per pending partner run handled (a run partly logged has two).
    public func finishPending(signingKey: PrivateKey) throws -> [RecoveredRun] {
        try finishPending(signingKey: { signingKey })
    }

    /// As `finishPending(signingKey:)`, asking for the key only when a folder has to be signed (opening the
    /// `export-signer` key decrypts it, which takes a noticeable fraction of a second).
    public func finishPending(signingKey: () throws -> PrivateKey) throws -> [RecoveredRun] {
        var done: [RecoveredRun] = []
        let ledger = gate.exportLedger
        for run in try ledger.pendingRuns() {
            func note(_ outcome: RecoveredRun.Outcome) { done.append(RecoveredRun(runID: run.runID, partner: run.partner, outcome: outcome)) }
            let draft = run.manifest.flatMap { try? JSONDecoder().decode(ManifestDraft.self, from: Data($0.utf8)) }
            var logged = try ledger.auditHasExportRun(runID: run.runID, partner: run.partner)
            if !logged {
                let partial = try ledger.loggedSubjects(runID: run.runID, partner: run.partner)
                guard !partial.isEmpty, let draft, let staging = run.stagingPath, try Self.complete(staging: staging, files: draft.files) else {
                    try ledger.drop(runID: run.runID, partner: run.partner)
                    note(partial.isEmpty ? .dropped : .partlyLoggedStagingMissing)
                    continue
                }
                // Killed between two audit batches: log the rest, then publish below.
                let contents = try ledger.pendingContents(runID: run.runID, partner: run.partner)
                let context = try run.entryContext.map(RunEntryContext.init(text:))
                // The run's own time, as its disclosures carry it (rebuilt from `context`), not the recovery's.
                try StagedAuditEntries.append(gate: gate, runID: run.runID, partner: run.partner, purpose: draft.purpose,
                                              inputSHA256: draft.inputSHA256, records: contents.records,
                                              quarantined: draft.quarantined ?? 0, notices: contents.notices, skipping: partial,
                                              actor: draft.actor ?? "export-recovery",
                                              at: context.flatMap { RFC3339.parse($0.time) } ?? Date(), context: context)
                logged = true
                note(.restLogged)
            }
            var st = stat()
            if let final = run.finalPath, lstat(final, &st) == 0 {
                try ledger.commit(runID: run.runID, partner: run.partner)
                note(.committed)
            } else if let staging = run.stagingPath, let final = run.finalPath, let draft,
                      try Self.complete(staging: staging, files: draft.files) {
                let manifest = draft.manifest(checkpoint: try gate.auditLog.latestCheckpoint())
                try FileIO.writeNewFile(staging + "/" + PartnerRunStaging.manifestFileName, manifest.encoded())
                try FileIO.writeNewFile(staging + "/" + PartnerRunStaging.signatureFileName, try manifest.signature(with: signingKey()))
                try FileIO.fsyncDirectory(staging)
                guard rename(staging, final) == 0 else { throw DriveExportError.io(path: final, operation: "rename", errno: errno) }
                try FileIO.fsyncDirectory((final as NSString).deletingLastPathComponent)
                try ledger.commit(runID: run.runID, partner: run.partner)
                note(.publishedAndCommitted)
            } else {
                // Logged, but the staged files are gone: nothing was delivered, so the records go out again.
                try ledger.drop(runID: run.runID, partner: run.partner)
                note(.loggedStagingMissing)
            }
        }
        return done
    }

    /// Whether every file of the draft is in the staging folder with its size and SHA-256, and no manifest yet.
    static func complete(staging: String, files: [WrittenFile]) throws -> Bool {
        var st = stat()
        if lstat(staging + "/" + PartnerRunStaging.manifestFileName, &st) == 0 {
            try? FileManager.default.removeItem(atPath: staging + "/" + PartnerRunStaging.manifestFileName)
            try? FileManager.default.removeItem(atPath: staging + "/" + PartnerRunStaging.signatureFileName)
        }
        for f in files {
            guard lstat(staging + "/" + f.name, &st) == 0, Int(st.st_size) == f.bytes,
                  (try? InputDigest.sha256Hex(ofFile: staging + "/" + f.name)) == f.sha256 else { return false }
        }
        return true
    }
}
