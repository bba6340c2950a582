import Foundation
import GRDBSQLite
import Synchronization

/// Reads `gate_change_counter.version` (see `ChangeCounterSchema`) on a read-only SQLite connection of its
/// own, through SQLite's C API: one prepared statement stepped in autocommit mode under a lock. Every API
/// request reads it once (`GateReadCache.withRequestSnapshot`); a read through GRDB's `DatabaseQueue`
/// (a dispatch-queue hop, GRDB's statement and row machinery) cost several times the statement itself.
/// In WAL mode each step starts a fresh read transaction, so the value is the newest committed one and
/// changes by other processes are seen by the next read.
final class ChangeCounter: Sendable {
    /// The connection and its prepared statement; used only under `lock`.
    private struct Connection: @unchecked Sendable {
        var db: OpaquePointer
        var statement: OpaquePointer
    }

    private let lock: Mutex<Connection>

    /// Opens a read-only connection to the database at `path` (already migrated) and prepares the read.
    init(path: String) throws {
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX
        guard sqlite3_open_v2(path, &db, flags, nil) == SQLITE_OK, let db else {
            let reason = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(db)
            throw StorageError.failed(operation: "open change counter", reason: reason)
        }
        sqlite3_busy_timeout(db, 5_000)
        var statement: OpaquePointer?
        guard sqlite3_prepare_v3(db, "SELECT version FROM gate_change_counter WHERE id = 1", -1,
                                 UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil) == SQLITE_OK, let statement else {
            let reason = String(cString: sqlite3_errmsg(db))
            sqlite3_close_v2(db)
            throw StorageError.failed(operation: "prepare change counter", reason: reason)
        }
        lock = Mutex(Connection(db: db, statement: statement))
    }

    deinit {
        lock.withLock { c in
            sqlite3_finalize(c.statement)
            sqlite3_close_v2(c.db)
        }
    }

    /// The counter now, or nil when it cannot be read (then callers bypass their cache).
    func current() -> Int64? {
        lock.withLock { c -> Int64? in
            defer { sqlite3_reset(c.statement) }
            guard sqlite3_step(c.statement) == SQLITE_ROW, sqlite3_column_type(c.statement, 0) == SQLITE_INTEGER else { return nil }
            return sqlite3_column_int64(c.statement, 0)
        }
    }
}
