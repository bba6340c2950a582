import Diagnostics
import GRDB
import GRDBSQLite

/// Why a store operation failed, kept typed so the stores' errors (`StorageError`, `AuditLogError`, `ConsentError`) can say it in German and English: an SQLite
/// result code becomes a short sentence (never the SQL statement GRDB's description carries), a ConsentGate
/// error keeps its own words in both languages, and anything else keeps its description. Found in the export
/// review: messages read "Speichern fehlgeschlagen (read accounts): SQLite error 8: attempt to write a readonly
/// database - while executing `INSERT …`" or a Swift enum dump.
public enum StorageFailureReason: Sendable, Hashable {
    /// SQLite answered `code` (the extended result code, e.g. 1032; its low byte is the primary code, e.g. 8)
    /// with its own `message`, without the statement.
    case database(code: Int32, message: String)
    /// Words in both languages: a nested ConsentGate error's message, or a fixed reason of the store.
    case text(LocalizedText)
    /// Any other error, as it describes itself.
    case other(String)

    /// The reason for `error`: a GRDB `DatabaseError` by its result code, a `UserFacingError` by its own message in
    /// both languages, anything else by its description.
    public init(_ error: any Error) {
        if let e = error as? DatabaseError {
            self = .database(code: e.extendedResultCode.rawValue, message: e.message ?? "")
        } else if let e = error as? any UserFacingError {
            self = .text(LocalizedText(de: e.message(in: .de), en: e.message(in: .en)))
        } else {
            self = .other(String(describing: error))
        }
    }

    /// The reason for a failed call of SQLite's C API on `connection` (its current error code and message).
    public init(sqliteConnection connection: OpaquePointer) {
        self = .database(code: sqlite3_extended_errcode(connection), message: String(cString: sqlite3_errmsg(connection)))
    }

    /// The store's database connection was already closed.
    public static let connectionClosed = StorageFailureReason.text(
        LocalizedText(de: "die Datenbankverbindung ist schon geschlossen", en: "the database connection is already closed"))

    /// A call that must run inside the caller's write transaction came without one (a mistake in the program).
    public static let noWriteTransaction = StorageFailureReason.text(
        LocalizedText(de: "kein offener Schreibvorgang (ein Programmfehler)", en: "no open write transaction (a program error)"))

    /// A failed system call on a file of the store (`fsync`, `open`), by its `errno` in words and number.
    public static func system(errno e: Int32) -> StorageFailureReason {
        .text(LocalizedText(de: SystemErrorText.describe(errno: e, in: .de), en: SystemErrorText.describe(errno: e, in: .en)))
    }

    /// The reason, in `language`.
    public func text(in language: Language) -> String {
        switch self {
        case let .database(code, message): return Self.describe(code: code, message: message)[language]
        case let .text(t): return t[language]
        case let .other(s): return s
        }
    }

    /// The primary SQLite result code (the low byte of the extended one).
    public var sqliteCode: Int32? {
        if case let .database(code, _) = self { return code & 0xff }
        return nil
    }

    /// A sentence for the result codes a store meets in practice, with the code for support ("SQLite-Fehler 8",
    /// "SQLite error 10/3850" when the extended code says more); any other code says SQLite's own message.
    static func describe(code: Int32, message: String) -> LocalizedText {
        let primary = code & 0xff
        let number = primary == code ? "\(code)" : "\(primary)/\(code)"
        let why: LocalizedText
        switch primary {
        case SQLITE_READONLY:
            why = LocalizedText(de: "die Datenbank ist schreibgeschützt (nur zum Lesen geöffnet, oder kein Schreibrecht auf Datei oder Ordner)",
                                en: "the database is read-only (opened for reading only, or no write permission on the file or its folder)")
        case SQLITE_FULL:
            why = LocalizedText(de: "der Datenträger ist voll", en: "the disk is full")
        case SQLITE_BUSY, SQLITE_LOCKED:
            why = LocalizedText(de: "die Datenbank ist von einem anderen Vorgang gesperrt; bitte später erneut versuchen",
                                en: "the database is locked by another process; please try again later")
        case SQLITE_CORRUPT:
            why = LocalizedText(de: "die Datenbankdatei ist beschädigt", en: "the database file is corrupt")
        case SQLITE_NOTADB:
            why = LocalizedText(de: "die Datei ist keine Datenbank (oder beschädigt)", en: "the file is not a database (or is corrupt)")
        case SQLITE_IOERR where code == SQLITE_IOERR | (19 << 8):  // SQLITE_IOERR_SHMSIZE (a C macro Swift does not import)
            // The WAL index (`-shm`) is rebuilt by the first process to open the database, and cannot grow on a full disk.
            why = LocalizedText(de: "die Indexdatei der Datenbank (-shm) kann nicht wachsen: meist ist der Datenträger voll",
                                en: "the database's index file (-shm) cannot grow: usually the disk is full")
        case SQLITE_IOERR:
            why = LocalizedText(de: "Ein-/Ausgabefehler beim Lesen oder Schreiben der Datenbankdatei",
                                en: "input/output error reading or writing the database file")
        case SQLITE_CANTOPEN:
            why = LocalizedText(de: "die Datenbankdatei lässt sich nicht öffnen (Ordner vorhanden? Zugriffsrechte?)",
                                en: "the database file cannot be opened (does the folder exist? permissions?)")
        case SQLITE_CONSTRAINT:
            // SQLite's message names the constraint and its columns ("UNIQUE constraint failed: account.name").
            why = LocalizedText(de: "eine Bedingung der Datenbank ist verletzt (\(message))",
                                en: "a database constraint is violated (\(message))")
        default:
            why = LocalizedText(de: "Datenbankfehler: \(message)", en: "database error: \(message)")
        }
        return LocalizedText(de: "\(why.de) (SQLite-Fehler \(number))", en: "\(why.en) (SQLite error \(number))")
    }
}
