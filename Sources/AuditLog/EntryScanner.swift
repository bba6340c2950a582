import Foundation
import GRDB
import GRDBSQLite
import StoreDiagnostics

/// Reads `(idx, entry, leaf_hash)` rows and their index columns in index order straight from SQLite, lending
/// each row's bytes without copying them: the hot loop of `verify`. Lives only inside one read on the
/// connection given.
final class EntryScanner {
    private let connection: OpaquePointer
    private let statement: OpaquePointer

    init(_ db: Database) throws {
        guard let connection = db.sqliteConnection else { throw AuditLogError.storage(operation: .verify, reason: .connectionClosed) }
        self.connection = connection
        var stmt: OpaquePointer?
        guard sqlite3_prepare_v2(connection, "SELECT idx, entry, leaf_hash, kind, time, actor, municipality, subject, partner, purpose, released FROM audit_entry ORDER BY idx", -1, &stmt, nil) == SQLITE_OK,
              let stmt else {
            throw AuditLogError.storage(operation: .verify, reason: StorageFailureReason(sqliteConnection: connection))
        }
        statement = stmt
    }

    deinit { sqlite3_finalize(statement) }

    /// Calls `body(index, entryBytes, storedLeafHash, indexColumns)` for every row; the buffers and columns
    /// are valid only during the call.
    func forEach(_ body: (Int64, UnsafeRawBufferPointer, UnsafeRawBufferPointer, StatementColumns) throws -> Void) throws {
        let columns = StatementColumns(statement: statement, firstColumn: 3)
        while true {
            let rc = sqlite3_step(statement)
            if rc == SQLITE_DONE { return }
            guard rc == SQLITE_ROW else {
                throw AuditLogError.storage(operation: .verify, reason: StorageFailureReason(sqliteConnection: connection))
            }
            let idx = sqlite3_column_int64(statement, 0)
            // sqlite3_column_blob before sqlite3_column_bytes, as the SQLite documentation requires.
            let entry = UnsafeRawBufferPointer(start: sqlite3_column_blob(statement, 1), count: Int(sqlite3_column_bytes(statement, 1)))
            let leaf = UnsafeRawBufferPointer(start: sqlite3_column_blob(statement, 2), count: Int(sqlite3_column_bytes(statement, 2)))
            try body(idx, entry, leaf, columns)
        }
    }
}
