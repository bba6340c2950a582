import GRDBSQLite

/// A row's index columns as `EntryColumnMatcher` compares them: kind, time, actor, municipality, subject,
/// partner, purpose (texts 0 … 6) and released. Read either where SQLite lends them (`StatementColumns`) or
/// from the copy a chunk of `verify` carries to its second thread (`CopiedColumns`), so that the comparison
/// can run on whichever thread has time.
protocol IndexColumnValues {
    /// Whether every column holds the storage class queries compare with: the texts TEXT or NULL, `released`
    /// INTEGER or NULL. A BLOB holding a subject's bytes reads back as the same text, yet `subject = ?` never
    /// matches it, so the row would vanish from the query. Asked before `text(_:)`, which may convert.
    var storageClassesValid: Bool { get }
    /// Text column `i` (0 … 6) as stored, nil for NULL; valid as long as the row is.
    func text(_ i: Int) -> UnsafeRawBufferPointer?
    /// The `released` column, nil for NULL.
    var released: Int64? { get }
}

/// Positions of the index columns in `IndexColumnValues` (and `names` for messages).
enum IndexColumn {
    static let kind = 0
    static let time = 1
    static let subject = 4
    /// The columns' names, texts first, then `released`.
    static let names = ["kind", "time", "actor", "municipality", "subject", "partner", "purpose", "released"]
}

/// The index columns of the current row of a statement, from `firstColumn` on, in the order of
/// `IndexColumnValues`. Two SQLite calls per text (its pointer is NULL exactly for a NULL value; an empty text
/// has a pointer), because every call counts in the hot loop of `verify`.
struct StatementColumns: IndexColumnValues {
    let statement: OpaquePointer
    let firstColumn: Int32

    var storageClassesValid: Bool {
        for i in 0..<Int32(7) {
            let t = sqlite3_column_type(statement, firstColumn + i)
            if t != SQLITE_TEXT && t != SQLITE_NULL { return false }
        }
        let r = sqlite3_column_type(statement, firstColumn + 7)
        return r == SQLITE_INTEGER || r == SQLITE_NULL
    }

    func text(_ i: Int) -> UnsafeRawBufferPointer? {
        let column = firstColumn + Int32(i)
        guard let p = sqlite3_column_text(statement, column) else { return nil }
        return UnsafeRawBufferPointer(start: p, count: Int(sqlite3_column_bytes(statement, column)))
    }

    var released: Int64? {
        let column = firstColumn + 7
        return sqlite3_column_type(statement, column) == SQLITE_NULL ? nil : sqlite3_column_int64(statement, column)
    }
}

/// Index columns copied out of a row: the seven texts back to back at `base`, their lengths in `lengths`
/// (-1 for NULL), `released`, and whether the storage classes were valid where they were read.
struct CopiedColumns: IndexColumnValues {
    let base: UnsafeRawPointer
    let lengths: UnsafeBufferPointer<Int32>
    let released: Int64?
    let storageClassesValid: Bool

    func text(_ i: Int) -> UnsafeRawBufferPointer? {
        guard lengths[i] >= 0 else { return nil }
        var offset = 0
        for j in 0..<i { offset += Int(max(lengths[j], 0)) }
        return UnsafeRawBufferPointer(start: base + offset, count: Int(lengths[i]))
    }
}
