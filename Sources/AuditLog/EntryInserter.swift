import Foundation
import GRDB
import GRDBSQLite
import StoreDiagnostics

/// The hot path of `append`: one prepared INSERT bound with `sqlite3_bind_*` directly, without boxing
/// every value into GRDB `StatementArguments` (which cost more than the insert itself). The statement is
/// the connection's cached one (GRDB's statement cache), so it is compiled once per connection, not once
/// per batch. Lives only inside one write transaction on the connection it came from.
final class EntryInserter {
    private let connection: OpaquePointer
    /// Keeps the cached GRDB statement (and so `statement`) alive while this inserter runs.
    private let owner: Statement
    private let statement: OpaquePointer

    init(_ db: Database) throws {
        guard let connection = db.sqliteConnection else { throw AuditLogError.storage(operation: .append, reason: .connectionClosed) }
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

    /// The text columns of the entry being inserted, packed one after another (reused between inserts).
    private var texts: [UInt8] = []

    /// Inserts one entry row from its stored form. Nothing is copied by SQLite (`SQLITE_STATIC`): the entry
    /// bytes, the leaf hash and the seven text columns (packed into one reused buffer instead of one
    /// SQLite allocation each) stay valid until the step has run, and the bindings are cleared before the
    /// buffers go away. This is the committing thread's per-entry work for every audit entry.
    func insert(index: Int64, entry e: EncodedAuditEntry, leafHash: Digest32) throws {
        let columns: [String?] = [e.kind.rawValue, e.time, e.actor, e.municipality, e.subject, e.partner, e.purpose]
        texts.removeAll(keepingCapacity: true)
        for text in columns { if let text { texts.append(contentsOf: text.utf8) } }
        var leaf = leafHash
        let rc = e.bytes.withUnsafeBytes { bytes in
            withUnsafeBytes(of: &leaf) { leafBytes -> Int32 in
                texts.withUnsafeBytes { packed -> Int32 in
                    sqlite3_bind_int64(statement, 1, index)
                    sqlite3_bind_blob(statement, 2, bytes.baseAddress ?? UnsafeRawPointer(leafBytes.baseAddress!), Int32(bytes.count), nil)
                    sqlite3_bind_blob(statement, 3, leafBytes.baseAddress, 32, nil)
                    var offset = 0
                    for (i, text) in columns.enumerated() {
                        let parameter = Int32(4 + i)
                        guard let text else { sqlite3_bind_null(statement, parameter); continue }
                        let length = text.utf8.count
                        // A zero-length text must not be bound with a null pointer (that would be NULL).
                        let base = packed.baseAddress.map { $0 + offset } ?? UnsafeRawPointer(leafBytes.baseAddress!)
                        sqlite3_bind_text(statement, parameter, base.assumingMemoryBound(to: CChar.self), Int32(length), nil)
                        offset += length
                    }
                    if let n = e.releasedFieldCount { sqlite3_bind_int64(statement, 11, Int64(n)) } else { sqlite3_bind_null(statement, 11) }
                    let rc = sqlite3_step(statement)
                    sqlite3_reset(statement)
                    sqlite3_clear_bindings(statement)
                    return rc
                }
            }
        }
        guard rc == SQLITE_DONE else {
            throw AuditLogError.storage(operation: .appendEntry(index), reason: StorageFailureReason(sqliteConnection: connection))
        }
    }
}
