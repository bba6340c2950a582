import Foundation
import GRDB
import GRDBSQLite
import StoreDiagnostics

extension AuditLogStore {
    /// The connection's journal and sync settings, as read before a commit.
    struct DurabilityMode {
        var wal: Bool
        /// `PRAGMA synchronous`: 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA.
        var synchronous: Int
    }

    static func durabilityMode(_ db: Database) throws -> DurabilityMode {
        // Read with SQLite's C API: both run before every batch, and GRDB's fetch machinery (request,
        // cursor, value conversion) cost several times the statements themselves. `PRAGMA journal_mode`
        // runs when stepped, so its compiled statement is the connection's cached one. `PRAGMA
        // synchronous` is compiled afresh each time: SQLite compiles the current level into the statement
        // as a constant, so a cached one would keep answering the level it was prepared under.
        guard let connection = db.sqliteConnection else {
            throw AuditLogError.storage(operation: .append, reason: .connectionClosed)
        }
        let journal = try db.cachedStatement(sql: "PRAGMA journal_mode").sqliteStatement
        defer { sqlite3_reset(journal) }
        guard sqlite3_step(journal) == SQLITE_ROW, let text = sqlite3_column_text(journal, 0) else {
            throw AuditLogError.storage(operation: .append, reason: StorageFailureReason(sqliteConnection: connection))
        }
        let wal = String(cString: text).lowercased() == "wal"
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(connection, "PRAGMA synchronous", -1, &statement, nil) == SQLITE_OK, let statement else {
            throw AuditLogError.storage(operation: .append, reason: StorageFailureReason(sqliteConnection: connection))
        }
        defer { sqlite3_finalize(statement) }
        let synchronous = sqlite3_step(statement) == SQLITE_ROW ? Int(sqlite3_column_int(statement, 0)) : 2
        return DurabilityMode(wal: wal, synchronous: synchronous)
    }

    /// Commits `prepared` in one IMMEDIATE transaction on `db` (outside any transaction) so that the
    /// commit is on disk when this returns: in WAL mode below `synchronous = FULL` the connection is
    /// raised to FULL for this commit and put back afterwards.
    ///
    /// Why: GRDB's `DatabasePool` sets `synchronous = NORMAL` on its writer after `prepareDatabase` has
    /// run, so a pool configured for FULL there still commits without fsync. Under NORMAL a WAL commit
    /// survives a crash of the process but not a power loss; the log promises that every index `append`
    /// returns is durable, so it does not rely on the pool's setting.
    static func commitDurably(_ prepared: [PreparedEntry], signer: NoteSigner, now: Date, _ db: Database) throws -> [Int64] {
        try commitDurably(prepared, signer: signer, now: now, db, admitting: nil).map { $0! }
    }

    /// `commitDurably` with `admit` asked first, inside the transaction: the entries it refuses (false) are left out,
    /// and their indices are nil.
    static func commitDurably(_ prepared: [PreparedEntry], signer: NoteSigner, now: Date, _ db: Database,
                              admitting admit: ((Database) throws -> [Bool])?) throws -> [Int64?] {
        let mode = try durabilityMode(db)
        let raise = mode.wal && mode.synchronous < 2
        if raise { try db.execute(sql: "PRAGMA synchronous = FULL") }
        let indices: [Int64?]
        do {
            indices = try inImmediateTransaction(db) {
                guard let admit else { return try insert(prepared, signer: signer, now: now, db).map { Optional($0) } }
                let admitted = try admit(db)
                let kept = zip(prepared, admitted).filter(\.1).map(\.0)
                guard !kept.isEmpty else { return prepared.map { _ in nil } }
                var inserted = try insert(kept, signer: signer, now: now, db).makeIterator()
                return admitted.map { $0 ? inserted.next() : nil }
            }
        } catch {
            if raise { try? db.execute(sql: "PRAGMA synchronous = \(mode.synchronous)") }
            throw error
        }
        if raise { try db.execute(sql: "PRAGMA synchronous = \(mode.synchronous)") }
        return indices
    }

    /// `body` in one IMMEDIATE transaction, committed when it returns and rolled back when it (or the
    /// commit) throws, like GRDB's `inTransaction(.immediate)`, but with `BEGIN` and `COMMIT` as the
    /// connection's cached statements: each batch would otherwise compile both again.
    static func inImmediateTransaction<T>(_ db: Database, _ body: () throws -> T) throws -> T {
        try db.cachedStatement(sql: "BEGIN IMMEDIATE TRANSACTION").execute()
        do {
            let result = try body()
            try db.cachedStatement(sql: "COMMIT TRANSACTION").execute()
            return result
        } catch {
            // Rolls back only what is still open (SQLite may already have rolled back after an error).
            try? db.rollback()
            throw error
        }
    }
}
