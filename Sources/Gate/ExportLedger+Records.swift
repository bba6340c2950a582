import Diagnostics
import Foundation
import GRDB
import PolicyEngine
import StoreDiagnostics

/// An exported record staged compactly with its partner run (docs/export-job.md): instead of the bytes of its
/// `disclosure` entry, the few values the entry is rebuilt from at logging time — the subject, its municipality,
/// the run's disclosure shape id (which fields went on which legal basis, stored once per run) and, for
/// consent-based fields, the consent ids in the shape's slot order.
public struct ExportStagedRecord: Sendable, Equatable {
    /// The person's case id (`Subject.id`), as the record's `disclosure` entry names it.
    public var subject: String
    /// The record fingerprint (the 32 bytes of SHA-256 `RecordFingerprint` gives over the cells as exported to the
    /// partner), stored in `export_record` as a BLOB; the next run exports the record again only if it differs.
    /// Empty in records read back by `pendingRecords`, which rebuild entries and do not compare.
    public var fingerprint: [UInt8]
    /// The person's municipality as merged for this run, written into the record's `disclosure` entry; nil when
    /// neither the list nor the store knows it.
    public var municipality: String?
    /// The disclosure shape id within the partner run.
    public var shape: Int32
    /// The consents the record's consent-based fields rest on, in the shape's slot order (usually none).
    public var consents: [String]

    /// A staged record; `consents` defaults to none (a record released on statute only).
    public init(subject: String, fingerprint: [UInt8], municipality: String?, shape: Int32, consents: [String] = []) {
        self.subject = subject; self.fingerprint = fingerprint; self.municipality = municipality
        self.shape = shape; self.consents = consents
    }
}

/// What one chunk of an export run writes, in ONE transaction: the merged subjects that changed, and per
/// partner run the staged records, the new disclosure shapes and the consents relied on.
public struct ExportChunkWrite: Sendable {
    /// Per partner run: its records, the shapes first used in this chunk (id → description) and reliance.
    public struct PartnerPart: Sendable {
        /// The export run's id (shared by the partner runs of one run).
        public var runID: String
        /// The partner id (from the policy) this part is exported to.
        public var partner: String
        /// The records of this chunk the run exports to the partner (those whose fingerprint changed, or all with `--full`).
        public var records: [ExportStagedRecord] = []
        /// Disclosure shapes first used in this chunk: their run-local id and their text form
        /// (`DisclosureShape.description()`), from which the records' `disclosure` entries are rebuilt.
        public var shapes: [(id: Int32, description: String)] = []
        /// The consents this chunk's records rely on (for erasure notices, GDPR Art. 19, should one be withdrawn).
        public var reliance: [ExportReliance] = []
        /// An empty part for partner run (`runID`, `partner`), to be filled by the job.
        public init(runID: String, partner: String) { self.runID = runID; self.partner = partner }
        /// True when the part writes nothing (no records, shapes or reliance).
        public var isEmpty: Bool { records.isEmpty && shapes.isEmpty && reliance.isEmpty }
    }

    /// Subjects to insert or update (only those whose stored attributes differ from the merged ones).
    public var subjects: [Subject] = []
    /// One part per partner run that has something in this chunk.
    public var partners: [PartnerPart] = []
    /// Committed records that a later committed run of the same partner replaced (found by
    /// `committedFingerprints(partners:subjects:)`): deleted with the chunk, so the ledger keeps one
    /// committed row per (partner, subject) in the long run.
    public var superseded: [ExportRecordKey] = []
    /// An empty chunk: nothing to write until subjects, partner parts or superseded rows are added.
    public init() {}
}

/// One row of `export_record`: the version of `subject`'s record that run `runID` exported to `partner`.
public struct ExportRecordKey: Sendable, Hashable {
    /// The partner id the record went to.
    public var partner: String
    /// The person's case id.
    public var subject: String
    /// The run that exported this version.
    public var runID: String
    /// The key of one `export_record` row.
    public init(partner: String, subject: String, runID: String) {
        self.partner = partner; self.subject = subject; self.runID = runID
    }
}

/// What the ledger holds for a chunk of subjects: per partner (in the order asked) the latest committed
/// fingerprint of each subject (first 64 bits), and the older committed rows that one replaced.
public struct CommittedFingerprints: Sendable {
    /// Per partner, in the order asked: case id → first 64 bits (big-endian) of the latest committed fingerprint;
    /// subjects never committed to that partner are absent.
    public var byPartner: [[String: UInt64]]
    /// Committed rows older than the latest for their (partner, subject), to delete with the chunk's write.
    public var superseded: [ExportRecordKey]
}

extension ExportLedger {
    /// Writes a chunk (changed subjects, staged records, shapes, reliance) in one transaction. With `relaxed`,
    /// the commit is not fsynced (`synchronous = NORMAL` for this transaction only, the connection's setting
    /// restored after it): safe for staging, because
    /// nothing of a run is logged or published before a later full-sync commit (markReady and the audit batches)
    /// makes the WAL, and with it every earlier frame, durable; a power cut before that loses only what the next
    /// run drops anyway.
    public func write(_ chunk: ExportChunkWrite, updatedAt: String, relaxed: Bool = true) throws {
        guard !chunk.subjects.isEmpty || chunk.partners.contains(where: { !$0.isEmpty }) || !chunk.superseded.isEmpty else { return }
        do {
            try writer.writeWithoutTransaction { db in
                // The connection's own setting is restored afterwards, whatever it was.
                let previous = relaxed ? try Int.fetchOne(db, sql: "PRAGMA synchronous") : nil
                if relaxed { try db.execute(sql: "PRAGMA synchronous = NORMAL") }
                defer { if let previous { try? db.execute(sql: "PRAGMA synchronous = \(previous)") } }
                try db.inTransaction {
                    try Self.insert(chunk, updatedAt: updatedAt, db)
                    return .commit
                }
            }
        } catch { throw StorageError.wrapping(error, operation: .init(de: "Exportabschnitt vormerken", en: "stage export chunk")) }
    }

    static func insert(_ chunk: ExportChunkWrite, updatedAt: String, _ db: Database) throws {
        try SubjectStore.upsert(many: chunk.subjects, updatedAt: updatedAt, db)
        let record = try PendingRecordInserter(db)
        let shape = try db.cachedStatement(sql: "INSERT OR REPLACE INTO export_pending_shape (run_id, partner, shape, description) VALUES (?, ?, ?, ?)")
        let reliance = try db.cachedStatement(sql: "INSERT OR IGNORE INTO export_pending_reliance (run_id, partner, consent_id, subject) VALUES (?, ?, ?, ?)")
        for p in chunk.partners {
            for s in p.shapes { try shape.execute(arguments: [p.runID, p.partner, s.id, s.description]) }
            for r in p.records { try record.insert(runID: p.runID, partner: p.partner, r) }
            for r in p.reliance { try reliance.execute(arguments: [p.runID, p.partner, r.consentID, r.subject]) }
        }
        if !chunk.superseded.isEmpty {
            let delete = try db.cachedStatement(sql: "DELETE FROM export_record WHERE partner = ? AND subject = ? AND run_id = ?")
            for k in chunk.superseded { try delete.execute(arguments: [k.partner, k.subject, k.runID]) }
        }
    }

    /// Sets the writer connection's page cache to `kibibytes` (for the duration of a run) and returns the previous
    /// `cache_size` value to restore with `setWriterCache(pragmaValue:)`; nil when it could not be read.
    public func setWriterCache(kibibytes: Int) -> Int? {
        let previous = try? writer.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA cache_size") }
        try? writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA cache_size = -\(max(1, kibibytes))") }
        return previous ?? nil
    }

    /// Restores a `cache_size` value returned by `setWriterCache(kibibytes:)`.
    @discardableResult
    public func setWriterCache(pragmaValue: Int) -> Int? {
        try? writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA cache_size = \(pragmaValue)") }
        return pragmaValue
    }

    /// The committed fingerprints (first 64 bits) of just these subjects, per partner (aligned with `partners`):
    /// a bulk caller asks per chunk of records, so memory does not grow with the ledger.
    public func fingerprints(partners: [String], subjects: [String]) throws -> [[String: UInt64]] {
        try committedFingerprints(partners: partners, subjects: subjects).byPartner
    }

    /// `fingerprints(partners:subjects:)`, and the committed rows that a later committed run replaced (to be
    /// deleted with the chunk's write). The ids go in once, as one JSON array, and each partner is one
    /// indexed statement in the same read; a record's rows of runs not (yet) committed are not counted.
    ///
    /// A subject the partner was sent an erasure notice about in a run after its record's (the notice went out while the
    /// person's row was not on the list, or was quarantined) has no fingerprint here: its record is sent again the next
    /// time it is on the list, so what another basis still releases (a renewed consent) reaches the partner that was told
    /// to erase (found in a review, 2026-12-06). Run ids sort in the order runs ran (`RunID`).
    public func committedFingerprints(partners: [String], subjects: [String]) throws -> CommittedFingerprints {
        guard !subjects.isEmpty, !partners.isEmpty else { return CommittedFingerprints(byPartner: partners.map { _ in [:] }, superseded: []) }
        let ids = JSONStringEscaping.array(subjects)
        return try read(.init(de: "Exportbuch lesen", en: "read export ledger")) { db in
            let statement = try db.cachedStatement(sql: """
                SELECT r.subject, r.fingerprint, c.seq, r.run_id FROM export_record r
                  JOIN export_committed_run c ON c.run_id = r.run_id AND c.partner = r.partner
                WHERE r.partner = ? AND r.subject IN (SELECT value FROM json_each(?))
                """)
            // Notices are few (one per withdrawn consent and partner): a scan of them per chunk.
            let notices = try db.cachedStatement(sql: """
                SELECT subject, MAX(run_id) FROM export_notice
                WHERE partner = ? AND subject IN (SELECT value FROM json_each(?)) GROUP BY subject
                """)
            var older: [(partner: String, subject: String, seq: Int64)] = []
            let byPartner = try partners.map { partner in
                var out: [String: UInt64] = [:]
                out.reserveCapacity(subjects.count)
                var seqOf: [String: Int64] = [:], runOf: [String: String] = [:]
                seqOf.reserveCapacity(subjects.count)
                let rows = try Row.fetchCursor(statement, arguments: [partner, ids])
                while let row = try rows.next() {
                    let r = StoredRow(row, table: "export_record", keyIndex: 0)
                    let subject: String = try r.value(at: 0)
                    let seq: Int64 = try r.value(at: 2)
                    // Usually one committed row per subject; when there are more, the latest commit counts.
                    if let previous = seqOf.updateValue(seq, forKey: subject) {
                        if previous > seq {
                            seqOf[subject] = previous
                            older.append((partner, subject, seq))
                            continue
                        }
                        older.append((partner, subject, previous))
                    }
                    out[subject] = Self.leading64(row[1])
                    runOf[subject] = try r.value(at: 3)
                }
                let noticed = try Row.fetchCursor(notices, arguments: [partner, ids])
                while let row = try noticed.next() {
                    let r = StoredRow(row, table: "export_notice", keyIndex: 0)
                    let subject: String = try r.value(at: 0), noticeRun: String = try r.value(at: 1)
                    if let recordRun = runOf[subject], noticeRun > recordRun { out[subject] = nil }
                }
                return out
            }
            var superseded: [ExportRecordKey] = []
            if !older.isEmpty {
                let runs = Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: """
                    SELECT seq, run_id FROM export_committed_run WHERE seq IN (SELECT value FROM json_each(?))
                    """, arguments: ["[" + Set(older.map(\.seq)).map(String.init).joined(separator: ",") + "]"]).map { ($0[0] as Int64, $0[1] as String) })
                superseded = older.compactMap { o in runs[o.seq].map { ExportRecordKey(partner: o.partner, subject: o.subject, runID: $0) } }
            }
            return CommittedFingerprints(byPartner: byPartner, superseded: superseded)
        }
    }

    /// Whether a record was ever committed for `partner` (a first export to it compares nothing).
    public func hasCommitted(partner: String) throws -> Bool {
        try read(.init(de: "Exportbuch lesen", en: "read export ledger")) { db in
            try Bool.fetchOne(db, sql: """
                SELECT EXISTS (SELECT 1 FROM export_record r JOIN export_committed_run c ON c.run_id = r.run_id AND c.partner = r.partner
                               WHERE r.partner = ?)
                """, arguments: [partner]) ?? false
        }
    }

    /// The disclosure shapes of a pending run: id → description (as staged).
    public func pendingShapes(runID: String, partner: String) throws -> [Int32: String] {
        try read(.init(de: "vorgemerkte Weitergabeformen lesen", en: "read staged disclosure shapes")) { db in
            var out: [Int32: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT shape, description FROM export_pending_shape WHERE run_id = ? AND partner = ?",
                                        arguments: [runID, partner]) {
                let r = StoredRow(row, table: "export_pending_shape", keyIndex: 0)
                out[try r.value(at: 0)] = try r.value(at: 1)
            }
            return out
        }
    }

    /// One page (by subject, after `after`) of a pending run's compactly staged records.
    public func pendingRecords(runID: String, partner: String, after: String, limit: Int) throws -> [ExportStagedRecord] {
        try read(.init(de: "vorgemerkte Datensätze lesen", en: "read staged records")) { db in
            var out: [ExportStagedRecord] = []
            out.reserveCapacity(limit)
            let rows = try Row.fetchCursor(db, sql: """
                SELECT subject, municipality, shape, consents FROM export_record
                WHERE partner = ? AND subject > ? AND run_id = ? ORDER BY subject LIMIT ?
                """, arguments: [partner, after, runID, limit])
            while let row = try rows.next() {
                let r = StoredRow(row, table: "export_record", keyIndex: 0)
                let consents: String? = try r.optional(at: 3)
                // Every row the job stages has a shape; only rows committed before `export-ledger-v3` have none.
                guard let shape = try r.optional(at: 2, as: Int32.self) else {
                    throw StorageError.failed(operation: .init(de: "vorgemerkte Datensätze lesen", en: "read staged records"), reason: .text(.init(de: "Datensatz \(r.key) des Laufs \(runID) hat keine Weitergabeform",
                                                             en: "record \(r.key) of run \(runID) has no disclosure shape")))
                }
                out.append(ExportStagedRecord(subject: try r.value(at: 0), fingerprint: [], municipality: try r.optional(at: 1), shape: shape,
                                              consents: consents.map { $0.split(separator: "\n").map(String.init) } ?? []))
            }
            return out
        }
    }
}

extension Gate {
    /// The stored subjects merged with what `stated` says (each stated attribute replaces the stored one),
    /// read without writing, and for each whether it differs from what is stored (new or changed), so a bulk
    /// caller (the export job) writes only those (`ExportLedger.write(_:updatedAt:)`). Reads on a reader
    /// connection: a list never states a case id twice, so chunks staged but not yet committed do not matter.
    public func mergedSubjects(_ stated: [Subject]) throws -> [(subject: Subject, changed: Bool)] {
        guard !stated.isEmpty else { return [] }
        do {
            return try database.writer.read { db in
                // One statement per chunk: the ids go in as one JSON array (a single bound value).
                let ids = JSONStringEscaping.array(stated.map(\.id))
                var stored: [String: Subject] = [:]
                stored.reserveCapacity(stated.count)
                let rows = try Row.fetchCursor(db, sql: """
                    SELECT id, birth_date, municipality, unaccompanied_minor, guardians FROM subject
                    WHERE id IN (SELECT value FROM json_each(?))
                    """, arguments: [ids])
                while let row = try rows.next() {
                    let subject = try SubjectStore.decode(row)
                    stored[subject.id] = subject
                }
                return stated.map { s in
                    guard let old = stored[s.id] else { return (s, true) }
                    let merged = old.updated(with: s)
                    return (merged, merged != old)
                }
            }
        } catch { throw StorageError.wrapping(error, operation: .init(de: "Personen lesen", en: "read subjects")) }
    }
}
