import Diagnostics
import GRDB

/// A row of one of ConsentGate's tables, read column by column with an error instead of a trap. GRDB's row
/// subscripts stop the whole process when a value does not convert (a hand-edited `unaccompanied_minor = 'ja'`,
/// a text column holding bytes): one such row took the web service down for every user (input review, finding 1).
/// Read through this, the same row gives a `StoredRowError` that names the table, the row and the column, and the
/// rest of the service goes on.
public struct StoredRow {
    /// The row as fetched.
    public let row: Row
    /// The table the row comes from, as named in the error (`subject`, `account`).
    public let table: String
    private let keyColumn: String?
    private let keyIndex: Int

    /// A reader of `row` from `table`, named by its `keyColumn` (a column name) in errors.
    public init(_ row: Row, table: String, keyColumn: String) {
        self.row = row; self.table = table; self.keyColumn = keyColumn; keyIndex = 0
    }

    /// A reader of `row` from `table`, whose key is the text at column `keyIndex` (for rows selected by position).
    public init(_ row: Row, table: String, keyIndex: Int) {
        self.row = row; self.table = table; keyColumn = nil; self.keyIndex = keyIndex
    }

    /// What identifies the row in an error: its key column's text, `?` when that is not text either. Read only
    /// when an error is made, so the readers of many rows (the export job's) pay nothing for it.
    public var key: String {
        let raw: DatabaseValue
        if let keyColumn { raw = row[keyColumn] } else if keyIndex >= 0, keyIndex < row.count { raw = row[keyIndex] } else { raw = .null }
        return String.fromDatabaseValue(raw) ?? "?"
    }

    /// The value of `column`, which must be present and of type `T` (an optional type takes NULL as nil).
    @inlinable
    public func value<T: DatabaseValueConvertible & StatementColumnConvertible>(_ column: String, as type: T.Type = T.self) throws(StoredRowError) -> T {
        guard row.hasColumn(column) else { throw unreadable(column, Self.missing) }
        do { return try row.decode(T.self, forColumn: column) } catch {
            throw mismatch(row[column], column: column, expected: T.self)
        }
    }

    /// The value at position `index` of the row, which must be present and of type `T` (an optional type takes NULL
    /// as nil). SQLite's own column accessors, as GRDB's subscripts read them: the export job reads rows by the
    /// hundred thousand through this.
    @inlinable
    public func value<T: DatabaseValueConvertible & StatementColumnConvertible>(at index: Int, as type: T.Type = T.self) throws(StoredRowError) -> T {
        guard index >= 0, index < row.count else { throw unreadable("#\(index + 1)", Self.missing) }
        do { return try row.decode(T.self, atIndex: index) } catch {
            throw mismatch(row[index], column: "#\(index + 1)", expected: T.self)
        }
    }

    /// The value of `column`: nil for NULL, otherwise it must be of type `T`.
    @inlinable
    public func optional<T: DatabaseValueConvertible & StatementColumnConvertible>(_ column: String, as type: T.Type = T.self) throws(StoredRowError) -> T? {
        try value(column, as: T?.self)
    }

    /// The value at position `index`: nil for NULL, otherwise it must be of type `T`.
    @inlinable
    public func optional<T: DatabaseValueConvertible & StatementColumnConvertible>(at index: Int, as type: T.Type = T.self) throws(StoredRowError) -> T? {
        try value(at: index, as: T?.self)
    }

    @usableFromInline static let missing = LocalizedText(de: "fehlt", en: "is missing")

    @usableFromInline func mismatch(_ raw: DatabaseValue, column: String, expected: Any.Type) -> StoredRowError {
        unreadable(column, LocalizedText(de: "enthält \(Self.kind(of: raw).de) statt \(Self.expected(expected).de)",
                                         en: "holds \(Self.kind(of: raw).en) where \(Self.expected(expected).en) is expected"))
    }

    /// The error for a value of `column` that the program cannot read as it stands (`reason` in both languages,
    /// e.g. "kein Datum"): for checks beyond the type, such as a date's format.
    public func unreadable(_ column: String, _ reason: LocalizedText) -> StoredRowError {
        StoredRowError(table: table, row: key, column: column, reason: reason)
    }

    /// What a stored value is, in words (never the value: a column may hold a password hash).
    static func kind(of value: DatabaseValue) -> LocalizedText {
        switch value.storage {
        case .null: return LocalizedText(de: "nichts (NULL)", en: "nothing (NULL)")
        case .int64, .double: return LocalizedText(de: "eine Zahl", en: "a number")
        case .string: return LocalizedText(de: "einen Text", en: "a text")
        case .blob(let d): return LocalizedText(de: "\(d.count) Bytes, die kein Text in UTF-8 sind", en: "\(d.count) bytes that are not UTF-8 text")
        }
    }

    /// What the program expects of a value of type `type` (an optional type: of its wrapped type), in words.
    static func expected(_ type: Any.Type) -> LocalizedText {
        switch type {
        case is String.Type, is String?.Type: return LocalizedText(de: "eines Textes", en: "a text")
        case is Int.Type, is Int64.Type, is Int32.Type, is Int?.Type, is Int64?.Type, is Int32?.Type: return LocalizedText(de: "einer ganzen Zahl", en: "a whole number")
        case is Bool.Type, is Bool?.Type: return LocalizedText(de: "eines Wahrheitswerts (0 oder 1)", en: "a truth value (0 or 1)")
        default: return LocalizedText(de: "eines Werts vom Typ \(type)", en: "a value of type \(type)")
        }
    }
}

/// A row of ConsentGate's database that cannot be read as the program wrote it: a value was changed outside
/// ConsentGate (by hand, with `sqlite3`), so the row is not what was recorded. An integrity failure (exit 4), said
/// with the table, the row and the column, never the stored value.
public struct StoredRowError: UserFacingError, Equatable {
    /// The table of the row.
    public let table: String
    /// The row's key (a person's case id, an account name, a run id).
    public let row: String
    /// The column that cannot be read.
    public let column: String
    /// Why, in both languages.
    public let reason: LocalizedText

    /// Creates the error for `column` of row `row` in `table`.
    public init(table: String, row: String, column: String, reason: LocalizedText) {
        self.table = table; self.row = row; self.column = column; self.reason = reason
    }

    /// A changed row is an integrity failure (exit 4), as a changed consent row is.
    public var category: ProblemCategory { .integrity }

    /// The table, the row, the column and why, with what to do.
    public func message(in language: Language) -> String {
        // A hand-edited key may hold a control character: shown escaped, never sent to the terminal as it is.
        let row = DisplayUnsafeText.containsControlOrDirectionCharacter(self.row)
            ? self.row.unicodeScalars.map { $0.escaped(asASCII: true) }.joined() : self.row
        switch language {
        case .de:
            return "Datensatz \(row) der Tabelle \(table) ist nicht lesbar: Spalte \(column) \(reason.de). Er wurde wohl außerhalb von ConsentGate geändert; `consentgate audit verify` prüfen und die Datenbank aus einer Sicherung wiederherstellen"
        case .en:
            return "row \(row) of table \(table) cannot be read: column \(column) \(reason.en). It was probably changed outside ConsentGate; run `consentgate audit verify` and restore the database from a backup"
        }
    }
}
