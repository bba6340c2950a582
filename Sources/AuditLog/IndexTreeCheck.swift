import Foundation
import GRDB
import GRDBSQLite

/// Checks that the index b-trees queries search by still list exactly the table's rows.
///
/// Why: `audit_entry_subject` answers every Art. 15 report and `audit log --subject`; `audit_entry_time`
/// every time range and the statistics. SQLite trusts an index: an entry dropped from it, given another key,
/// stored as a BLOB or put out of order hides the row from those queries, while the table, which the rest
/// of `verify` reads, stays intact. Someone with write access to the file can do that (rebuild the index
/// under another definition, then restore the schema text).
///
/// How: `verify` fingerprints the (row, key) pairs the table's verified columns give
/// (`AuditIndexFingerprints`); this scans each index in its own order, reading only the index, and insists
/// that every key is TEXT, that the pairs are strictly ascending (so a search finds what the scan finds) and
/// that they fingerprint the same. About a tenth of a second per million entries for both indexes.
enum IndexTreeCheck {
    /// One index: its name, the column it holds, and the SQL that reads it alone, in its order.
    struct Index: Sendable {
        var name: String
        var column: String
        var sql: String
    }

    static let subject = Index(
        name: "audit_entry_subject", column: "subject",
        sql: "SELECT subject, idx FROM audit_entry INDEXED BY audit_entry_subject WHERE subject IS NOT NULL AND idx < ?")
    static let time = Index(name: "audit_entry_time", column: "time",
                            sql: "SELECT time, idx FROM audit_entry INDEXED BY audit_entry_time WHERE time IS NOT NULL AND idx < ?")

    /// The first index that does not hold exactly the pairs `table` fingerprints for the first `size` rows.
    /// With a connection pool the two indexes are scanned at once, each on its own connection (rows below
    /// `size` cannot change under the append-only triggers, so their snapshots agree on them); otherwise
    /// one after the other on `db`.
    static func problem(writer: any DatabaseWriter, db: Database, size: Int64, table: AuditIndexFingerprints,
                        key: IndexFingerprintKey) throws -> TamperFinding? {
        let checks = [(subject, table.subject), (time, table.time)]
        guard let pool = writer as? DatabasePool else {
            for (index, expected) in checks {
                if let p = try problem(in: db, index: index, below: size, expected: expected, key: key) { return p }
            }
            return nil
        }
        let results = ResultSlots(count: checks.count)
        let group = DispatchGroup()
        for (i, (index, expected)) in checks.enumerated() {
            DispatchQueue.global().async(group: group) {
                results.set(i, Result { try pool.read { try problem(in: $0, index: index, below: size, expected: expected, key: key) } })
            }
        }
        group.wait()
        for result in results.all { if let p = try result.get() { return p } }
        return nil
    }

    static func problem(in db: Database, index: Index, below size: Int64, expected: IndexKeyFingerprint,
                        key: IndexFingerprintKey) throws -> TamperFinding? {
        guard let connection = db.sqliteConnection else { throw AuditLogError.storage(operation: "verify", reason: "database connection closed") }
        var stmt: OpaquePointer?
        guard sqlite3_prepare_v2(connection, index.sql, -1, &stmt, nil) == SQLITE_OK, let stmt else {
            // A missing or redefined index (INDEXED BY cannot use it) is a changed schema.
            sqlite3_finalize(stmt)
            return .indexTreeChanged(index: index.name, column: index.column)
        }
        defer { sqlite3_finalize(stmt) }
        sqlite3_bind_int64(stmt, 1, size)
        var found = IndexKeyFingerprint()
        // The previous pair, to insist on strictly ascending (key, row): BINARY collation is memcmp, then length.
        var previousKey: [UInt8] = [], previousRow = Int64.min, first = true
        while true {
            let rc = sqlite3_step(stmt)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else {
                // A b-tree SQLite cannot walk is a damaged file.
                if rc == SQLITE_CORRUPT { return .indexTreeChanged(index: index.name, column: index.column) }
                throw AuditLogError.storage(operation: "verify", reason: String(cString: sqlite3_errmsg(connection)))
            }
            guard sqlite3_column_type(stmt, 0) == SQLITE_TEXT else { return .indexTreeChanged(index: index.name, column: index.column) }
            let row = sqlite3_column_int64(stmt, 1)
            let keyBytes = UnsafeRawBufferPointer(start: sqlite3_column_text(stmt, 0), count: Int(sqlite3_column_bytes(stmt, 0)))
            // Ascending keys; an equal key with an ascending row. The first pair counts as ascending.
            let order = first ? -1 : compare(previousKey, keyBytes)
            guard order < 0 || (order == 0 && previousRow < row) else {
                return .indexTreeChanged(index: index.name, column: index.column)
            }
            if order != 0 {
                previousKey.removeAll(keepingCapacity: true)
                previousKey.append(contentsOf: keyBytes)
            }
            first = false
            previousRow = row
            found.add(row: row, key: keyBytes, using: key)
        }
        return found == expected ? nil : .indexTreeChanged(index: index.name, column: index.column)
    }

    /// BINARY collation: bytes, then length.
    private static func compare(_ a: [UInt8], _ b: UnsafeRawBufferPointer) -> Int {
        let n = min(a.count, b.count)
        if n > 0 {
            let c = a.withUnsafeBytes { memcmp($0.baseAddress!, b.baseAddress!, n) }
            if c != 0 { return Int(c) }
        }
        return a.count - b.count
    }
}

/// One result per concurrent index scan, each slot written once by its scan and read after all finished.
private final class ResultSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result<TamperFinding?, any Error>]

    init(count: Int) { slots = Array(repeating: .success(nil), count: count) }

    func set(_ i: Int, _ result: Result<TamperFinding?, any Error>) {
        lock.lock()
        slots[i] = result
        lock.unlock()
    }

    var all: [Result<TamperFinding?, any Error>] {
        lock.lock()
        defer { lock.unlock() }
        return slots
    }
}
