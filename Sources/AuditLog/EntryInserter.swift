import Foundation
import GRDB
import GRDBSQLite

/// The hot path of `append`: one prepared INSERT bound with `sqlite3_bind_*` directly, without boxing
/// every value into GRDB `StatementArguments` (which cost more than the insert itself). The statement is
/// the connection's cached one (GRDB's statement cache), so it is compiled once per connection, not once
/// per batch. Lives only inside one write transaction on the connection it came from.
final class EntryInserter {
    private let connection: OpaquePointer
    /// Keeps the cached GRDB statement (and so `statement`) alive while this inserter runs.
    private let owner: Statement
    private let statement: OpaquePointer
    /// SQLite copies the bound bytes (`SQLITE_TRANSIENT`), so Swift buffers need not outlive the bind.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(_ db: Database) throws {
        guard let connection = db.sqliteConnection else { throw AuditLogError.storage(operation: "append", reason: "database connection closed") }
        self.connection = connection
        owner = try db.cachedStatement(sql: """
            INSERT INTO audit_entry (idx, entry, leaf_hash, kind, time, actor, municipality, subject, partner, purpose, released)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        statement = owner.sqliteStatement
        // A cached statement may come back from an earlier use still holding bindings.
        sqlite3_reset(statement)
        sqlite3_clear_bindings(statement)
    }

    private func bind(_ i: Int32, _ text: String?) {
        if let text { sqlite3_bind_text(statement, i, text, -1, Self.transient) } else { sqlite3_bind_null(statement, i) }
    }

    /// Inserts one entry row from its stored form. The entry bytes and leaf hash are bound without a copy
    /// (`SQLITE_STATIC`): they stay valid until the step has run, and the bindings are cleared before
    /// the buffers go away.
    func insert(index: Int64, entry e: EncodedAuditEntry, leafHash: Digest32) throws {
        var leaf = leafHash
        let rc = e.bytes.withUnsafeBytes { bytes in
            withUnsafeBytes(of: &leaf) { leafBytes -> Int32 in
                sqlite3_bind_int64(statement, 1, index)
                sqlite3_bind_blob(statement, 2, bytes.baseAddress ?? UnsafeRawPointer(leafBytes.baseAddress!), Int32(bytes.count), nil)
                sqlite3_bind_blob(statement, 3, leafBytes.baseAddress, 32, nil)
                bind(4, e.kind.rawValue)
                bind(5, e.time)
                bind(6, e.actor)
                bind(7, e.municipality)
                bind(8, e.subject)
                bind(9, e.partner)
                bind(10, e.purpose)
                if let n = e.releasedFieldCount { sqlite3_bind_int64(statement, 11, Int64(n)) } else { sqlite3_bind_null(statement, 11) }
                let rc = sqlite3_step(statement)
                sqlite3_reset(statement)
                sqlite3_clear_bindings(statement)
                return rc
            }
        }
        guard rc == SQLITE_DONE else {
            throw AuditLogError.storage(operation: "append entry \(index)", reason: String(cString: sqlite3_errmsg(connection)))
        }
    }
}
