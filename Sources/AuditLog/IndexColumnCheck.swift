import Foundation
import GRDB
import GRDBSQLite

/// Checks that the index columns stored beside every entry (kind, time, actor, municipality, subject,
/// partner, purpose, released) are the ones its bytes give.
///
/// Why: queries, the Art. 15 report and the statistics select entries by these columns, but the Merkle tree
/// covers only the entry bytes. Without this check someone with write access to the file could move a
/// disclosure to another subject (so it vanishes from the person's report) and `verify` would still pass.
/// `verify` compares every row's columns with its bytes in its one pass over the rows (`EntryColumnMatcher`,
/// without allocating); a row that does not plainly match is looked at here: its entry parsed as
/// `AuditEntry(bytes:)` and the columns derived exactly as `append` derives them
/// (`EncodedAuditEntry(canonicalBytes:columnsOf:)`) before it counts as changed.
struct IndexColumnCheck {
    /// One row as stored: the entry bytes and the columns beside them.
    struct StoredRow: Sendable {
        var index: Int64
        var bytes: [UInt8]
        var kind: String?, time: String?, actor: String?, municipality: String?
        var subject: String?, partner: String?, purpose: String?
        var released: Int64?
    }

    /// What is wrong with the columns of the row at `index`, looked at closely (the row is read again).
    static func problem(in db: Database, index: Int64) -> TamperFinding? {
        guard let connection = db.sqliteConnection else { return nil }
        var stmt: OpaquePointer?
        let sql = "SELECT idx, entry, kind, time, actor, municipality, subject, partner, purpose, released FROM audit_entry WHERE idx = ?"
        guard sqlite3_prepare_v2(connection, sql, -1, &stmt, nil) == SQLITE_OK, let stmt else { return nil }
        defer { sqlite3_finalize(stmt) }
        sqlite3_bind_int64(stmt, 1, index)
        guard sqlite3_step(stmt) == SQLITE_ROW else { return nil }
        // A storage class queries cannot match (`IndexColumnValues.storageClassesValid`), before any value is read.
        for (i, name) in IndexColumn.names.enumerated() {
            let type = sqlite3_column_type(stmt, Int32(2 + i))
            let expected = name == "released" ? SQLITE_INTEGER : SQLITE_TEXT
            if type != expected && type != SQLITE_NULL { return .indexColumnChanged(index: index, column: name) }
        }
        return problem(StoredRow(
            index: sqlite3_column_int64(stmt, 0),
            bytes: blob(stmt, 1),
            kind: text(stmt, 2), time: text(stmt, 3), actor: text(stmt, 4), municipality: text(stmt, 5),
            subject: text(stmt, 6), partner: text(stmt, 7), purpose: text(stmt, 8),
            released: sqlite3_column_type(stmt, 9) == SQLITE_NULL ? nil : sqlite3_column_int64(stmt, 9)))
    }

    /// What is wrong with `row`, if anything.
    static func problem(_ row: StoredRow) -> TamperFinding? {
        guard let entry = try? AuditEntry(bytes: row.bytes, context: "entry \(row.index)") else {
            return .entryChanged(index: row.index)
        }
        let expected = EncodedAuditEntry(canonicalBytes: [], columnsOf: entry)
        let released = expected.releasedFieldCount.map(Int64.init)
        let columns: [(String, Bool)] = [
            ("kind", row.kind == expected.kind.rawValue), ("time", row.time == expected.time), ("actor", row.actor == expected.actor),
            ("municipality", row.municipality == expected.municipality), ("subject", row.subject == expected.subject),
            ("partner", row.partner == expected.partner), ("purpose", row.purpose == expected.purpose), ("released", row.released == released),
        ]
        return columns.first { !$0.1 }.map { .indexColumnChanged(index: row.index, column: $0.0) }
    }

    private static func blob(_ stmt: OpaquePointer, _ column: Int32) -> [UInt8] {
        // sqlite3_column_blob before sqlite3_column_bytes, as the SQLite documentation requires.
        guard let base = sqlite3_column_blob(stmt, column) else { return [] }
        return Array(UnsafeRawBufferPointer(start: base, count: Int(sqlite3_column_bytes(stmt, column))))
    }

    private static func text(_ stmt: OpaquePointer, _ column: Int32) -> String? {
        guard sqlite3_column_type(stmt, column) != SQLITE_NULL, let base = sqlite3_column_text(stmt, column) else { return nil }
        // With its byte count, so a text holding U+0000 is compared whole, not cut at the NUL.
        let count = Int(sqlite3_column_bytes(stmt, column))
        return String(decoding: UnsafeRawBufferPointer(start: base, count: count), as: UTF8.self)
    }
}
