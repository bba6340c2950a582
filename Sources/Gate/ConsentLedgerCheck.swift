import AuditLog
import ConsentRecords
import Foundation
import GRDB
import Signing

/// Checks the stored consents and withdrawals against what the (verified) audit log recorded of them, and the
/// consent tables' look-up structures against their rows.
///
/// Why: the consent tables are plain rows. Someone with write access to the file can delete a withdrawal,
/// and the consent it ended is active again: data flows that the person stopped. Or insert a validly signed
/// consent from elsewhere without its `consent-granted` entry, so a permit rests on nothing the log shows.
/// The signatures cannot tell (every row is still genuinely signed); the audit log can: every consent and
/// withdrawal stored through ConsentGate has its entry with the SHA-256 of the exact signed document.
///
/// A decision does not read the tables whole, though: it finds a person's consents by the `subject` column and
/// their withdrawals by `consent_id`, through the tables' indexes. A withdrawal whose `consent_id` is stored as a
/// BLOB, or left out of the primary-key index, is never found, and the consent counts as active again, while the
/// row itself is intact. So the check also holds every look-up column to the entry (value and storage class),
/// asks SQLite whether each index holds exactly its table's rows (`PRAGMA integrity_check`), and compares the
/// tables' schema (the append-only triggers included) with a fresh migration of the whole database.
///
/// `consentgate audit verify` and the web's verification status run this after the log itself verified.
public enum ConsentLedgerCheck {
    /// The consent store's tables.
    static let tables = ["consent", "consent_withdrawal"]

    /// The first difference, or nil when the store and the log agree both ways and the tables are sound. In this
    /// order: the log's entries against the rows (in log order), rows the log never recorded (in id order), the
    /// tables' indexes, their schema.
    public static func problem(in writer: any DatabaseWriter) throws -> ConsentLedgerFinding? {
        // One snapshot for the log and the store: a consent granted between two reads would look unlogged or missing.
        try writer.read { db in
            try problem(in: db, logged: try AuditLogStore.entries(matching: AuditQuery(kinds: loggedKinds), in: db))
        }
    }

    /// The entry kinds this check reads.
    static let loggedKinds: [AuditEntryKind] = [.consentGranted, .consentWithdrawn]

    /// The same within a read of `db`; `logged`: the log's entries in index order, at least every one of `loggedKinds`.
    static func problem(in db: Database, logged: [StoredEntry]) throws -> ConsentLedgerFinding? {
        var consents = try StoredDocuments(db, sql: """
            SELECT id, jws, jws_sha256, subject, template_id, template_version, granted_at, expires_at FROM consent
            """)
        var withdrawals = try StoredWithdrawalDocuments(db)
        // The digests the log records: a stored withdrawal of a consent that no entry names is the one an entry whose
        // document is gone was replaced by (a consent may have several withdrawals, each its own row).
        let loggedDigests = Set(logged.compactMap { stored -> String? in
            if case let .consentWithdrawn(r) = stored.entry.content { return r.digest }
            return nil
        })
        for stored in logged {
            switch stored.entry.content {
            case let .consentGranted(r):
                guard let row = consents.take(r.consentID) else { return .consentMissing(index: stored.index, consentID: r.consentID) }
                if let d = r.digest, d != row.digest { return .consentChanged(index: stored.index, consentID: r.consentID) }
                if let column = row.firstDifference(from: [
                    "id": r.consentID.databaseValue, "jws_sha256": row.digest.databaseValue, "subject": r.subject.databaseValue,
                    "template_id": r.templateID.databaseValue, "template_version": r.templateVersion.databaseValue,
                    "granted_at": r.grantedAt.databaseValue, "expires_at": r.expiresAt.databaseValue]) {
                    return .consentColumnChanged(index: stored.index, consentID: r.consentID, column: column)
                }
            case let .consentWithdrawn(r):
                guard let row = withdrawals.take(r.consentID, digest: r.digest, unlessIn: loggedDigests) else {
                    if let clauses = r.clauses { return .clauseWithdrawalMissing(index: stored.index, consentID: r.consentID, clauses: clauses) }
                    return .withdrawalMissing(index: stored.index, consentID: r.consentID)
                }
                if let d = r.digest, d != row.digest { return .withdrawalChanged(index: stored.index, consentID: r.consentID) }
                if let column = row.firstDifference(from: [
                    "consent_id": r.consentID.databaseValue, "jws_sha256": row.digest.databaseValue,
                    "withdrawn_at": r.withdrawnAt.databaseValue]) {
                    return .withdrawalColumnChanged(index: stored.index, consentID: r.consentID, column: column)
                }
            default:
                continue
            }
        }
        if let id = consents.remainingIDs.min() { return .consentNotLogged(consentID: id) }
        if let id = withdrawals.remainingIDs.min() { return .withdrawalNotLogged(consentID: id) }
        for table in tables {
            let report = try String.fetchAll(db, sql: "PRAGMA integrity_check(\(table))")
            if report != ["ok"] { return .indexDamaged(table: table, detail: report.first ?? "") }
        }
        return try SchemaComparison.firstDifference(in: db, tables: tables, reference: AppDatabase.migrator)
            .map { .schemaChanged(object: $0.object, change: $0.change) }
    }
}

/// The stored withdrawals, by the consent id their row is stored under (several per consent: withdrawals of single
/// clauses), in the order stored, with the columns a look-up relies on exactly as stored.
private struct StoredWithdrawalDocuments {
    private var documents: [String: [StoredDocuments.Document]] = [:]

    init(_ db: Database) throws {
        for row in try Row.fetchAll(db, sql: "SELECT consent_id, jws, jws_sha256, withdrawn_at FROM consent_withdrawal ORDER BY rowid") {
            let id = String.fromDatabaseValue(row[0] as DatabaseValue) ?? ""
            documents[id, default: []].append(StoredDocuments.Document(row: row))
        }
    }

    /// The withdrawal of `id` an entry with `digest` recorded: the one with those bytes; else (its bytes replaced) the
    /// first of that consent whose bytes no entry records (`logged`); without a digest (older entries), the first
    /// stored. It is then no longer among the remaining ones.
    mutating func take(_ id: String, digest: String?, unlessIn logged: Set<String>) -> StoredDocuments.Document? {
        guard var docs = documents[id], !docs.isEmpty else { return nil }
        let i = digest.flatMap { d in docs.firstIndex { $0.digest == d } } ?? docs.firstIndex { !logged.contains($0.digest) }
        guard let i else { return nil }
        let doc = docs.remove(at: i)
        documents[id] = docs.isEmpty ? nil : docs
        return doc
    }

    /// The consent ids with a withdrawal not taken: rows the log never recorded.
    var remainingIDs: Dictionary<String, [StoredDocuments.Document]>.Keys { documents.keys }
}

/// The signed documents of one consent table, by the id their row is stored under, with the columns a look-up
/// relies on exactly as stored (storage class included).
private struct StoredDocuments {
    struct Document {
        /// `sha256:` of the stored bytes themselves (the `jws_sha256` column beside them could be edited too).
        var digest: String
        /// The row's columns but `jws`.
        var columns: [String: DatabaseValue]

        /// Reads a row whose first column is the id and second the JWS bytes.
        init(row: Row) {
            var columns: [String: DatabaseValue] = [:]
            for (name, value) in row where name != "jws" { columns[name] = value }
            self.columns = columns
            digest = SHA256.tagged((row[1] as Data?) ?? Data())
        }

        /// The first column (in name order) whose stored value is not `expected`'s, storage class included: a
        /// BLOB reads back as the same text, yet never equals a text in `WHERE consent_id = ?` or a join.
        func firstDifference(from expected: [String: DatabaseValue]) -> String? {
            expected.keys.sorted().first { columns[$0] != expected[$0] }
        }
    }

    private var documents: [String: Document] = [:]

    /// Reads every row of `sql`, whose first column is the id and second the JWS bytes.
    init(_ db: Database, sql: String) throws {
        for row in try Row.fetchAll(db, sql: sql) {
            let id = String.fromDatabaseValue(row[0] as DatabaseValue) ?? ""
            documents[id] = Document(row: row)
        }
    }

    /// The document stored under `id`, which is then no longer among the remaining ones.
    mutating func take(_ id: String) -> Document? { documents.removeValue(forKey: id) }

    /// The ids not taken: rows the log never recorded.
    var remainingIDs: Dictionary<String, Document>.Keys { documents.keys }
}
