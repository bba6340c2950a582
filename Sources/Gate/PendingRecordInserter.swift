import Diagnostics
import Foundation
import GRDB
import GRDBSQLite
import StoreDiagnostics

/// The export job's hottest write: one staged record per exported (record, partner), ~216,000 for a list of
/// 100,000 rows. Bound with `sqlite3_bind_*` directly instead of boxing every value into GRDB's
/// `StatementArguments` (which cost more than the insert). Lives inside one write transaction on the
/// connection that prepared it.
final class PendingRecordInserter {
    private let connection: OpaquePointer
    private let statement: OpaquePointer
    /// SQLite copies the bound bytes (`SQLITE_TRANSIENT`), so Swift buffers need not outlive the bind.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(_ db: Database) throws {
        guard let connection = db.sqliteConnection else { throw StorageError.failed(operation: .init(de: "Exportabschnitt vormerken", en: "stage export chunk"), reason: .text(.init(de: "Datenbankverbindung geschlossen", en: "database connection closed"))) }
        self.connection = connection
        var stmt: OpaquePointer?
        let sql = """
            INSERT OR REPLACE INTO export_record (run_id, partner, subject, fingerprint, municipality, shape, consents)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """
        guard sqlite3_prepare_v2(connection, sql, -1, &stmt, nil) == SQLITE_OK, let stmt else {
            throw StorageError.failed(operation: .init(de: "Exportabschnitt vormerken", en: "stage export chunk"), reason: StorageFailureReason(sqliteConnection: connection))
        }
        statement = stmt
    }

    deinit { sqlite3_finalize(statement) }

    private func bind(_ i: Int32, _ text: String?) {
        if let text { sqlite3_bind_text(statement, i, text, -1, Self.transient) } else { sqlite3_bind_null(statement, i) }
    }

    /// Inserts (or replaces) one staged record of partner run (`runID`, `partner`).
    func insert(runID: String, partner: String, _ r: ExportStagedRecord) throws {
        bind(1, runID)
        bind(2, partner)
        bind(3, r.subject)
        r.fingerprint.withUnsafeBytes { b in _ = sqlite3_bind_blob(statement, 4, b.baseAddress, Int32(b.count), Self.transient) }
        bind(5, r.municipality)
        sqlite3_bind_int64(statement, 6, Int64(r.shape))
        bind(7, r.consents.isEmpty ? nil : r.consents.joined(separator: "\n"))
        let rc = sqlite3_step(statement)
        sqlite3_reset(statement)
        sqlite3_clear_bindings(statement)
        guard rc == SQLITE_DONE else {
            throw StorageError.failed(operation: .init(de: "Exportdatensatz \(runID)/\(partner)/\(r.subject) vormerken", en: "stage export record \(runID)/\(partner)/\(r.subject)"),
                                      reason: StorageFailureReason(sqliteConnection: connection))
        }
    }
}
