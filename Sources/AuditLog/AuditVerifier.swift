import Diagnostics
import Foundation
import GRDB
import StoreDiagnostics

/// What `audit verify` established.
public struct AuditVerificationReport: Sendable, Equatable {
    /// Entries checked (the whole log).
    public var size: Int64
    /// The recomputed root of the whole log.
    public var rootHash: [UInt8]
    /// Signed checkpoints checked.
    public var checkpoints: Int
    /// The size of the externally kept checkpoint the log was shown to extend, if one was given.
    public var trustedSize: Int64?
}

extension AuditLogStore {
    /// `verify(keys:trustedCheckpoint:)` for a log signed by one key all its life.
    public func verify(key: NoteVerifierKey, trustedCheckpoint: String? = nil) throws -> AuditVerificationReport {
        try verify(keys: [key], trustedCheckpoint: trustedCheckpoint)
    }

    /// Recomputes every leaf hash from the stored bytes and the tree from them; checks every stored
    /// checkpoint's signature against `keys` (one of them must have signed it: the log's audit-log keys
    /// over its life, so a rotation does not invalidate what the old key signed) and that its root is the
    /// root of that prefix of the recomputed tree (so all checkpoints are mutually consistent); given
    /// `trustedCheckpoint` (a signed note kept elsewhere), that the log still extends it; that the
    /// index columns queries and reports select by match every entry; that the index b-trees on subject
    /// and time list exactly those rows; and that the log's tables, indexes and triggers are unchanged. Throws on the FIRST problem, naming the first entry that differs.
    /// `revoked`: the log's keys the trust store revoked, named when a checkpoint carries only their signature.
    public func verify(keys: [NoteVerifierKey], trustedCheckpoint: String? = nil,
                       revoked: [RevokedNoteKey] = []) throws -> AuditVerificationReport {
        try verify(keys: keys, trustedCheckpoint: trustedCheckpoint, revoked: revoked, split: .adaptive)
    }

    /// `verify(keys:trustedCheckpoint:revoked:)` with the work between its two threads split as `split` says.
    func verify(keys: [NoteVerifierKey], trustedCheckpoint: String?, revoked: [RevokedNoteKey] = [],
                split: VerifyWorkSplit) throws -> AuditVerificationReport {
        let trusted = try trustedCheckpoint.map { try Checkpoint.verified(note: $0, keys: keys, source: "trusted checkpoint", revoked: revoked) }
        let fingerprintKey = try IndexFingerprintKey.fresh()
        return try read(.verify) { db in
            // 1. Every stored checkpoint: signature, origin, and that it sits under its own size.
            var roots: [(size: Int64, root: [UInt8])] = []
            let cps = try Row.fetchCursor(db, sql: "SELECT tree_size, note FROM audit_checkpoint ORDER BY tree_size")
            while let row = try cps.next() {
                let stored: Int64 = row[0]   // the INTEGER PRIMARY KEY: always a whole number
                guard let note = try? StoredRow(row, table: "audit_checkpoint", keyIndex: 0).value(at: 1, as: String.self) else {
                    throw AuditLogError.badCheckpoint(size: stored, problem: .unreadable(reason: LocalizedText(
                        de: "gespeicherter Checkpoint \(stored): die Notiz ist kein UTF-8-Text", en: "stored checkpoint \(stored): the note is not UTF-8 text")))
                }
                let cp: Checkpoint
                do { cp = try Checkpoint.verified(note: note, keys: keys, source: "stored checkpoint \(stored)", revoked: revoked) } catch AuditLogError.malformedNote(_, let reason) {
                    throw AuditLogError.badCheckpoint(size: stored, problem: .unreadable(reason: LocalizedText(
                        de: "gespeicherter Checkpoint \(stored): \(reason.de)", en: "stored checkpoint \(stored): \(reason.en)")))
                } catch AuditLogError.badCheckpoint(let size, .signedByOtherKey(let given, _)) where !roots.isEmpty {
                    // Earlier checkpoints verified with the key given, so it is this log's: a later one signed by another
                    // key was replaced, not a wrong key given (the milder words are for the first checkpoint only).
                    throw AuditLogError.badCheckpoint(size: size, problem: .noValidSignature(key: given))
                }
                guard cp.size == stored else {
                    throw AuditLogError.badCheckpoint(size: stored, problem: .storedUnderWrongSize(stored: stored, signed: cp.size))
                }
                roots.append((stored, cp.rootHash))
            }
            // 2. Stream the entries in index order, recomputing leaves and the tree and comparing each row's
            //    index columns with its entry: this thread reads SQLite and checks a share of the rows where
            //    SQLite lends them; a second one checks the rest and builds the tree, so the two overlap on
            //    two cores (`PipelinedTreeRecomputer`).
            // The index b-trees are read meanwhile on other connections (`IndexTreeCheck.Scans`), for the rows
            // this snapshot holds; compared in step 5.
            let rows = try Int64.fetchOne(db, sql: "SELECT coalesce(max(idx) + 1, 0) FROM audit_entry") ?? 0
            let indexScans = IndexTreeCheck.Scans(writer: writer, size: rows, key: fingerprintKey)
            defer { indexScans.wait() }
            let pipeline = PipelinedTreeRecomputer(try TreeRecomputer(roots: roots, trusted: trusted),
                                                   fingerprintKey: fingerprintKey, split: split)
            let hasher = InlineMerkleHasher()
            var chunk = pipeline.emptyChunk()
            // Rows whose index columns did not plainly match their entry; looked at closely below.
            var columnSuspects: [Int64] = []
            // The (row, key) pairs the index b-trees must hold, from the rows this thread checks.
            var fingerprints = AuditIndexFingerprints()
            try EntryScanner(db).forEach { idx, entry, storedLeaf, columns in
                if pipeline.readerChecksNextRow() {
                    if EntryColumnMatcher.verdict(entry: entry, columns: columns) != .match { columnSuspects.append(idx) }
                    fingerprints.add(row: idx, columns: columns, using: fingerprintKey)
                    chunk.appendChecked(index: idx, entry: entry, storedLeaf: storedLeaf, hasher: hasher)
                } else {
                    chunk.appendCopied(index: idx, entry: entry, storedLeaf: storedLeaf, columns: columns)
                }
                if chunk.count == PipelinedTreeRecomputer.rowsPerChunk {
                    pipeline.submit(chunk)
                    chunk = pipeline.emptyChunk()
                }
            }
            if chunk.count > 0 { pipeline.submit(chunk) }
            let (recomputer, copiedSuspects, copiedFingerprints) = try pipeline.finish()
            let count = recomputer.size
            let root = recomputer.rootHash
            // 3. Nothing signed may be missing, nothing stored may be unsigned.
            if let last = roots.last, last.size > count {
                throw AuditLogError.tampered(.truncated(signedSize: last.size, stored: count))
            }
            let signedSize = roots.last?.size ?? 0
            if count > signedSize {
                throw AuditLogError.tampered(.unsigned(from: signedSize, to: count - 1))
            }
            let frontier = try Self.frontier(db)
            guard frontier.size == count, frontier.root(hasher: MerkleHasher()) == root else {
                throw AuditLogError.tampered(.frontierMismatch(frontierSize: frontier.size, stored: count))
            }
            if let trusted, trusted.size > count {
                throw AuditLogError.tampered(.rolledBack(trustedSize: trusted.size, stored: count))
            }
            // 4. The columns queries and reports select by say what the (now verified) entries say.
            for index in (columnSuspects + copiedSuspects).sorted() {
                if let finding = IndexColumnCheck.problem(in: db, index: index) { throw AuditLogError.tampered(finding) }
            }
            // 5. The index b-trees those queries search hold exactly these rows under these keys.
            if let finding = try indexScans.problem(table: fingerprints + copiedFingerprints, db: db) {
                throw AuditLogError.tampered(finding)
            }
            // 6. The tables, indexes and triggers are the ones the migrations create.
            if let finding = try AuditSchemaCheck.problem(in: db) { throw AuditLogError.tampered(finding) }
            return AuditVerificationReport(size: count, rootHash: root, checkpoints: roots.count, trustedSize: trusted?.size)
        }
    }
}

