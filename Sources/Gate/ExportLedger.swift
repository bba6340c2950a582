import Diagnostics
import Foundation
import GRDB
import PolicyEngine
import Signing
import StoreDiagnostics

/// A staged ledger change of one partner run in the first staging form: a record exported with its fingerprint,
/// the consents relied on and the whole entry's bytes. The export job now stages `ExportStagedRecord`s (compact,
/// `ExportLedger+Records.swift`); rows of this form are still logged and committed when a run staged by an
/// older version is recovered.
public struct ExportLedgerRow: Sendable, Equatable {
    /// The person's case id.
    public var subject: String
    /// The record fingerprint as 64 lower-case hex digits (`RecordFingerprint`).
    public var fingerprint: String
    /// The consent ids the record's fields relied on (staged as reliance of the run).
    public var consents: [String]
    /// The canonical bytes of the record's `disclosure` audit entry, appended when the run is logged.
    public var entry: [UInt8]?
    /// A row in the first staging form; `entry` nil stages no entry bytes.
    public init(subject: String, fingerprint: String, consents: [String], entry: [UInt8]? = nil) {
        self.subject = subject; self.fingerprint = fingerprint; self.consents = consents; self.entry = entry
    }
}

/// A partner run whose ledger changes are staged but not yet committed (see `ExportLedgerSchema`).
public struct PendingExportRun: Sendable, Equatable {
    /// The export run's id.
    public var runID: String
    /// The partner id of this partner run.
    public var partner: String
    /// The hidden folder the run's files are written in (`<drive>/<partner folder>/.<run-id>.partial-…`); nil
    /// until `markReady` records it.
    public var stagingPath: String?
    /// Where the folder is published (`<drive>/<partner folder>/<run-id>`); nil until `markReady` records it.
    /// Recovery takes a logged run whose folder exists there as published and commits it.
    public var finalPath: String?
    /// The manifest fields as JSON (without the checkpoint), to finish publishing after a crash.
    public var manifest: String?
    /// What every disclosure entry of the run shares (time, actor, policy digest, purpose), as the job stored it
    /// with `beginPending(runID:partner:entryContext:)`, so a killed run's entries are rebuilt identically.
    public var entryContext: String?
}

/// A consent an earlier export to `partner` relied on, for `subject`.
public struct ExportReliance: Sendable, Equatable, Hashable {
    /// The partner the data went to (and who must hear of a withdrawal).
    public var partner: String
    /// The consent relied on.
    public var consentID: String
    /// The person's case id.
    public var subject: String
    /// Reliance of an export to `partner` on consent `consentID` of `subject`.
    public init(partner: String, consentID: String, subject: String) {
        self.partner = partner; self.consentID = consentID; self.subject = subject
    }
}

/// An erasure notice (GDPR Art. 19) as a run stages it and the ledger commits it: to `partner`, about consent
/// `consentID` of `subject`, covering the withdrawn lines `clauses` (clause ids, sorted) or, when nil, the whole consent.
/// Stored one row per line (`export_notice`, `export_pending_notice`; `*` for the whole consent), so that a later
/// withdrawal of further lines makes a new notice due for those lines only.
public struct ExportNotice: Sendable, Equatable, Hashable {
    /// The partner told to erase.
    public var partner: String
    /// The withdrawn consent.
    public var consentID: String
    /// The person's case id.
    public var subject: String
    /// The lines the notice names (sorted), or nil for a notice about the whole consent.
    public var clauses: [String]?
    /// A notice to `partner` about `consentID` of `subject`; `clauses` nil for the whole consent.
    public init(partner: String, consentID: String, subject: String, clauses: [String]? = nil) {
        self.partner = partner; self.consentID = consentID; self.subject = subject; self.clauses = clauses
    }
}

/// What the ledger holds as sent to one partner about one consent (`export_notice`): the lines notices named, whether
/// one was about the whole consent, and the runs of rows from before `export-ledger-v4`, which do not say what they
/// covered. Such a row was sent for what was withdrawn when its run started; `Gate.erasureDue` reads that from the
/// stored withdrawals (those recorded before the run id's second), so a row never stands for a line withdrawn later.
public struct SentNotices: Sendable, Equatable {
    /// Whether a notice about the whole consent went out (a `*` row): nothing more is owed on the consent.
    public var whole: Bool = false
    /// The lines notices named.
    public var clauses: Set<String> = []
    /// The run ids of rows from before `export-ledger-v4` (empty `clause`).
    public var earlierRuns: [String] = []
    /// Nothing sent.
    public init() {}
    /// Whether nothing was sent.
    public var isEmpty: Bool { !whole && clauses.isEmpty && earlierRuns.isEmpty }
}

/// The `clause` values of `export_notice` / `export_pending_notice` rows that name no line.
public enum ExportNoticeLine {
    /// A notice about the whole consent (the column's default).
    public static let whole = "*"
    /// A row from before `export-ledger-v4`: sent for what was withdrawn when its run started.
    public static let earlier = ""
    /// The rows of `notice`: one per line, or one `*` row.
    static func rows(_ notice: ExportNotice) -> [String] { notice.clauses ?? [whole] }
}

/// Reading and writing the export ledger. All writes are single transactions.
public struct ExportLedger: Sendable {
    let writer: any DatabaseWriter

    func write<T>(_ op: LocalizedText, _ body: (Database) throws -> T) throws -> T {
        do { return try writer.write(body) } catch { throw StorageError.wrapping(error, operation: op) }
    }

    func read<T>(_ op: LocalizedText, _ body: (Database) throws -> T) throws -> T {
        do { return try writer.read(body) } catch { throw StorageError.wrapping(error, operation: op) }
    }

    /// The first 64 bits (big-endian) of a stored fingerprint: 32 bytes (BLOB) or their hex (TEXT, rows
    /// committed before `export-ledger-v3`).
    static func leading64(_ value: DatabaseValue) -> UInt64 {
        switch value.storage {
        case .blob(let d):
            return d.prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
        case .string(let s):
            return UInt64(s.prefix(16), radix: 16) ?? 0
        default:
            return 0
        }
    }

    /// Registers a partner run as pending (before any of its rows are staged), with the context its staged
    /// records' audit entries are rebuilt from (opaque to the ledger).
    public func beginPending(runID: String, partner: String, entryContext: String? = nil) throws {
        try write(.init(de: "Exportlauf vormerken", en: "stage export run")) { db in
            try db.execute(sql: "INSERT OR REPLACE INTO export_pending_run (run_id, partner, entry_context) VALUES (?, ?, ?)",
                           arguments: [runID, partner, entryContext])
        }
    }

    /// Stages ledger rows in the first staging form (with entry bytes) of a pending run, in one transaction.
    /// Kept for tools and tests that reproduce runs staged by an older version; the job uses `write(_:updatedAt:)`.
    public func stage(runID: String, partner: String, rows: [ExportLedgerRow]) throws {
        guard !rows.isEmpty else { return }
        try write(.init(de: "Exportbuch vormerken", en: "stage export ledger")) { db in
            let l = try db.cachedStatement(sql: "INSERT OR REPLACE INTO export_pending_ledger (run_id, partner, subject, fingerprint, entry) VALUES (?, ?, ?, ?, ?)")
            let r = try db.cachedStatement(sql: "INSERT OR IGNORE INTO export_pending_reliance (run_id, partner, consent_id, subject) VALUES (?, ?, ?, ?)")
            for row in rows {
                try l.execute(arguments: [runID, partner, row.subject, row.fingerprint, row.entry.map { Data($0) }])
                for c in row.consents { try r.execute(arguments: [runID, partner, c, row.subject]) }
            }
        }
    }

    /// Stages erasure notices of a pending run: one row per line each names (one `*` row for a whole-consent notice).
    public func stageNotices(runID: String, partner: String, notices: [ExportNotice]) throws {
        guard !notices.isEmpty else { return }
        try write(.init(de: "Löschhinweise vormerken", en: "stage erasure notices")) { db in
            let statement = try db.cachedStatement(sql: """
                INSERT OR IGNORE INTO export_pending_notice (run_id, partner, consent_id, clause, subject) VALUES (?, ?, ?, ?, ?)
                """)
            for n in notices {
                for clause in ExportNoticeLine.rows(n) {
                    try statement.execute(arguments: [runID, partner, n.consentID, clause, n.subject])
                }
            }
        }
    }

    /// Records where the staged folder is and the manifest (without checkpoint) it will carry: the run is ready to log.
    public func markReady(runID: String, partner: String, stagingPath: String, finalPath: String, manifest: String) throws {
        try write(.init(de: "Exportlauf vormerken", en: "stage export run")) { db in
            try db.execute(sql: "UPDATE export_pending_run SET staging_path = ?, final_path = ?, manifest = ? WHERE run_id = ? AND partner = ?",
                           arguments: [stagingPath, finalPath, manifest, runID, partner])
        }
    }

    /// Commits a published partner run: its records count from now on (one row in `export_committed_run`;
    /// the records stay where they were staged), and its reliance and notices move into their tables, in
    /// one transaction (the run is then no longer pending).
    public func commit(runID: String, partner: String) throws {
        try commit(runID: runID, partners: [partner])
    }

    /// `commit(runID:partner:)` for several partner runs of one run in a single transaction (one sync instead of
    /// one per partner). When nothing else is pending afterwards, the staging tables are emptied whole, which
    /// SQLite does without visiting every row.
    public func commit(runID: String, partners: [String]) throws {
        guard !partners.isEmpty else { return }
        try write(.init(de: "Exportbuch festschreiben", en: "commit export ledger")) { db in
            for partner in partners {
                let args: StatementArguments = [runID, partner]
                // A run staged by an older version (`export_pending_ledger`, hex fingerprints) joins the records.
                try db.execute(sql: """
                    INSERT OR REPLACE INTO export_record (partner, subject, run_id, fingerprint)
                      SELECT partner, subject, run_id, fingerprint FROM export_pending_ledger WHERE run_id = ? AND partner = ?
                    """, arguments: args)
                try db.execute(sql: "INSERT OR IGNORE INTO export_committed_run (run_id, partner) VALUES (?, ?)", arguments: args)
                try db.execute(sql: """
                    INSERT OR IGNORE INTO export_reliance (partner, consent_id, subject, run_id)
                      SELECT partner, consent_id, subject, run_id FROM export_pending_reliance WHERE run_id = ? AND partner = ?
                    """, arguments: args)
                try db.execute(sql: """
                    INSERT OR IGNORE INTO export_notice (consent_id, partner, clause, subject, run_id)
                      SELECT consent_id, partner, clause, subject, run_id FROM export_pending_notice WHERE run_id = ? AND partner = ?
                    """, arguments: args)
            }
            let othersPending = try Bool.fetchOne(db, sql: """
                SELECT EXISTS (SELECT 1 FROM export_pending_run WHERE run_id <> ? OR partner NOT IN (SELECT value FROM json_each(?)))
                """, arguments: [runID, JSONStringEscaping.array(partners)]) ?? true
            if othersPending {
                for partner in partners { try Self.deletePending(db, runID: runID, partner: partner) }
            } else {
                for t in ExportLedgerSchema.pendingTables { try db.execute(sql: "DELETE FROM \(t)") }
            }
        }
    }

    /// Forgets a pending run that was never logged (its data will be exported again): its staged records too.
    public func drop(runID: String, partner: String) throws {
        try write(.init(de: "vorgemerkten Exportlauf verwerfen", en: "drop pending export run")) { db in
            let committed = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM export_committed_run WHERE run_id = ? AND partner = ?)",
                                              arguments: [runID, partner]) ?? false
            if !committed {
                try db.execute(sql: "DELETE FROM export_record WHERE partner = ? AND run_id = ?", arguments: [partner, runID])
            }
            try Self.deletePending(db, runID: runID, partner: partner)
        }
    }

    static func deletePending(_ db: Database, runID: String, partner: String) throws {
        for t in ExportLedgerSchema.pendingTables {
            try db.execute(sql: "DELETE FROM \(t) WHERE run_id = ? AND partner = ?", arguments: [runID, partner])
        }
    }

    /// Every pending run, oldest first.
    public func pendingRuns() throws -> [PendingExportRun] {
        try read(.init(de: "vorgemerkte Exportläufe lesen", en: "read pending export runs")) { db in
            try Row.fetchAll(db, sql: "SELECT * FROM export_pending_run ORDER BY run_id, partner").map { row throws(StoredRowError) in
                let r = StoredRow(row, table: "export_pending_run", keyColumn: "run_id")
                return PendingExportRun(runID: try r.value("run_id"), partner: try r.value("partner"), stagingPath: try r.value("staging_path"),
                                        finalPath: try r.value("final_path"), manifest: try r.value("manifest"), entryContext: try r.value("entry_context"))
            }
        }
    }

    /// Whether the audit log holds the `export-run` entry of `runID` for `partner` (the run was logged).
    public func auditHasExportRun(runID: String, partner: String) throws -> Bool {
        try read(.init(de: "Audit-Protokoll lesen", en: "read audit log")) { db in
            let entries = try Data.fetchAll(db, sql: "SELECT entry FROM audit_entry WHERE kind = 'export-run' AND partner = ?", arguments: [partner])
            let needle = Data("\"run\":\"\(runID)\"".utf8)
            return entries.contains { $0.range(of: needle) != nil }
        }
    }

    /// One page (by subject, after `after`) of a pending run's staged audit entries in the first staging form
    /// (subject, entry bytes): only runs staged by an older version have any.
    public func pendingEntries(runID: String, partner: String, after: String, limit: Int) throws -> [(subject: String, entry: [UInt8])] {
        try read(.init(de: "vorgemerkte Weitergaben lesen", en: "read staged disclosures")) { db in
            try Row.fetchAll(db, sql: """
                SELECT subject, entry FROM export_pending_ledger WHERE run_id = ? AND partner = ? AND subject > ? AND entry IS NOT NULL
                ORDER BY subject LIMIT ?
                """, arguments: [runID, partner, after, limit]).map { row throws(StoredRowError) in
                let r = StoredRow(row, table: "export_pending_ledger", keyIndex: 0)
                let d: Data = try r.value(at: 1)
                let subject: String = try r.value(at: 0)
                return (subject, [UInt8](d))
            }
        }
    }

    /// The number of staged records and the staged erasure notices of a pending run, each with the lines it names (nil:
    /// about the whole consent, or staged before `export-ledger-v4`, when notices named no lines).
    public func pendingContents(runID: String, partner: String) throws -> (records: Int, notices: [ExportNotice]) {
        try read(.init(de: "vorgemerkten Exportlauf lesen", en: "read pending export run")) { db in
            // Both counts added (`??` binds looser than `+`: written without the parentheses, the sum was the first count
            // alone, 0 for a run staged by this version, and a recovered run's `export-run` entry said "records": 0).
            let legacy = try Int.fetchOne(db, sql: "SELECT count(*) FROM export_pending_ledger WHERE run_id = ? AND partner = ?", arguments: [runID, partner]) ?? 0
            let staged = try Int.fetchOne(db, sql: "SELECT count(*) FROM export_record WHERE partner = ? AND run_id = ?", arguments: [partner, runID]) ?? 0
            let n = legacy + staged
            var notices: [ExportNotice] = []
            for row in try Row.fetchAll(db, sql: """
                SELECT consent_id, subject, clause FROM export_pending_notice WHERE run_id = ? AND partner = ? ORDER BY consent_id, clause
                """, arguments: [runID, partner]) {
                let r = StoredRow(row, table: "export_pending_notice", keyIndex: 0)
                let consent: String = try r.value(at: 0), subject: String = try r.value(at: 1), clause: String = try r.value(at: 2)
                let line = clause == ExportNoticeLine.whole || clause == ExportNoticeLine.earlier ? nil : clause
                if let last = notices.last, last.consentID == consent, last.subject == subject {
                    // One notice per consent: its lines together; a row naming no line makes it the whole-consent notice.
                    if let line, let lines = last.clauses { notices[notices.count - 1].clauses = lines + [line] } else { notices[notices.count - 1].clauses = nil }
                } else {
                    notices.append(ExportNotice(partner: partner, consentID: consent, subject: subject, clauses: line.map { [$0] }))
                }
            }
            return (n, notices)
        }
    }

    /// The subjects whose `disclosure` entry of `runID` to `partner` is already in the audit log (a run killed
    /// between two of its audit batches). Scans the partner's disclosures: for recovery only.
    public func loggedSubjects(runID: String, partner: String) throws -> Set<String> {
        try read(.init(de: "Audit-Protokoll lesen", en: "read audit log")) { db in
            let needle = Data("\"export-run\":\"\(runID)\"".utf8)
            var out: Set<String> = []
            let rows = try Row.fetchCursor(db, sql: "SELECT subject, entry FROM audit_entry WHERE kind = 'disclosure' AND partner = ?", arguments: [partner])
            while let row = try rows.next() {
                let r = StoredRow(row, table: "audit_entry", keyIndex: 0)
                let entry: Data = try r.value(at: 1)
                let subject: String? = try r.optional(at: 0)
                if entry.range(of: needle) != nil, let subject { out.insert(subject) }
            }
            return out
        }
    }

    /// The consents earlier exports to `partner` relied on and about which no notice for the whole consent went out yet
    /// (a notice of single lines leaves the consent's other lines owed, should they be withdrawn later: `Gate.erasureDue`
    /// subtracts what `sentNotices` says went out).
    public func unnotifiedReliance(partner: String) throws -> [ExportReliance] {
        try read(.init(de: "Grundlagen früherer Exporte lesen", en: "read export reliance")) { db in
            try Row.fetchAll(db, sql: """
                SELECT r.consent_id, r.subject FROM export_reliance r
                WHERE r.partner = ? AND NOT EXISTS (SELECT 1 FROM export_notice n WHERE n.consent_id = r.consent_id AND n.partner = r.partner
                                                                                   AND n.clause = '*')
                ORDER BY r.consent_id, r.subject
                """, arguments: [partner]).map { row throws(StoredRowError) in
                let r = StoredRow(row, table: "export_reliance", keyIndex: 0)
                return ExportReliance(partner: partner, consentID: try r.value(at: 0), subject: try r.value(at: 1))
            }
        }
    }

    /// The notices sent (committed) to `partner` about consent `consentID`, by line.
    public func sentNotices(consentID: String, partner: String) throws -> SentNotices {
        try read(.init(de: "gesendete Löschhinweise lesen", en: "read sent erasure notices")) { db in
            try Self.sentNotices(db, consentID: consentID, partner: partner)
        }
    }

    /// `sentNotices(consentID:partner:)` inside the caller's read.
    public static func sentNotices(_ db: Database, consentID: String, partner: String) throws -> SentNotices {
        var sent = SentNotices()
        for row in try Row.fetchAll(db, sql: "SELECT clause, run_id FROM export_notice WHERE consent_id = ? AND partner = ?",
                                    arguments: [consentID, partner]) {
            let r = StoredRow(row, table: "export_notice", keyIndex: 0)
            let clause: String = try r.value(at: 0)
            switch clause {
            case ExportNoticeLine.whole: sent.whole = true
            case ExportNoticeLine.earlier: sent.earlierRuns.append(try r.value(at: 1))
            default: sent.clauses.insert(clause)
            }
        }
        return sent
    }

    /// The partners some committed export relied on a consent for, by id (whether or not anything is owed to them):
    /// with `unnotifiedReliance`, how the job finds notices owed to a partner that no export profile serves any more.
    /// One index step per partner (the reliance table's key starts with the partner), however many rows it holds.
    public func partnersWithReliance() throws -> [String] {
        try read(.init(de: "Grundlagen früherer Exporte lesen", en: "read export reliance")) { db in
            var partners: [String] = []
            while let next = try String.fetchOne(db, sql: "SELECT min(partner) FROM export_reliance WHERE partner > ?",
                                                 arguments: [partners.last ?? ""]) {
                partners.append(next)
            }
            return partners
        }
    }

    /// The number of subjects with a committed record for `partner` (tests, summaries).
    public func count(partner: String) throws -> Int {
        try read(.init(de: "Exportbuch zählen", en: "count export ledger")) { db in
            try Int.fetchOne(db, sql: """
                SELECT count(DISTINCT r.subject) FROM export_record r
                  JOIN export_committed_run c ON c.run_id = r.run_id AND c.partner = r.partner
                WHERE r.partner = ?
                """, arguments: [partner]) ?? 0
        }
    }
}

extension Gate {
    /// The export job's ledger in this installation's database.
    public var exportLedger: ExportLedger { ExportLedger(writer: database.writer) }

    /// The ids of every subject with at least one stored consent, so a bulk caller (the export job) asks the
    /// consent store for facts only where there are any (a set of ids; no consent content).
    public func subjectsWithConsents() throws -> Set<String> {
        do {
            return try database.writer.read { db in Set(try String.fetchAll(db, sql: "SELECT DISTINCT subject FROM consent")) }
        } catch { throw StorageError.wrapping(error, operation: .init(de: "Personen mit Einwilligungen lesen", en: "read consent subjects")) }
    }
}
