import Diagnostics
import StoreDiagnostics

/// Failures of the store (exit code 5), in the user's language: what was being done (`operation`, in German
/// and English) and why (`StorageFailureReason`: an SQLite code as a sentence, never the SQL statement).
public enum StorageError: UserFacingError, Equatable {
    /// The database at `path` could not be opened, created or migrated.
    case cannotOpen(path: String, reason: StorageFailureReason)
    /// Reading or writing failed while doing `operation` ("Konten lesen" / "read accounts").
    case failed(operation: LocalizedText, reason: StorageFailureReason)
    /// A lock file beside the database (`file`: its `.lock` or `.inuse`, beside the database's real name) could not be
    /// opened or taken: `operation` (`open lock file`, `flock`) failed with `errno`, said in the user's language
    /// (`SystemErrorText`).
    case lockFile(database: String, file: String, operation: String, errno: Int32)
    /// The database at `path` was migrated by a newer release (`migrations` it does not know): this one does not open
    /// it, since it would write into a schema it does not know. Going back to an older release is not supported.
    case newerVersion(path: String, migrations: [String])

    /// The error to throw when `operation` failed with `error`: a `StorageError` from deeper down is kept as it
    /// is (it names the more specific operation, and is not said twice); another ConsentGate error raised inside the
    /// transaction (a key that cannot be opened for the audit entry, a refused input) also stays itself, so its own
    /// category decides the exit code (CONTRACTS §8) instead of storage's 5; anything else (SQLite's, GRDB's)
    /// becomes `.failed`.
    public static func wrapping(_ error: any Error, operation: LocalizedText) -> any Error {
        if error is StorageError || error is any UserFacingError { return error }
        return StorageError.failed(operation: operation, reason: StorageFailureReason(error))
    }

    /// The error to throw when opening the database at `path` failed with `error` (a `StorageError` is kept).
    public static func wrappingOpen(_ error: any Error, path: String) -> StorageError {
        if let e = error as? StorageError { return e }
        return .cannotOpen(path: path, reason: StorageFailureReason(error))
    }

    /// Always a storage failure (exit 5).
    public var category: ProblemCategory { .storage }

    /// The failure in `language`: the database (or operation) and the reason in words, never the SQL statement.
    public func message(in language: Language) -> String {
        switch (self, language) {
        case let (.cannotOpen(path, reason), .de): return "Datenbank \(path) lässt sich nicht öffnen: \(reason.text(in: .de))"
        case let (.cannotOpen(path, reason), .en): return "cannot open database \(path): \(reason.text(in: .en))"
        case let (.failed(op, reason), .de): return "Datenbankzugriff fehlgeschlagen (\(op.de)): \(reason.text(in: .de))"
        case let (.failed(op, reason), .en): return "storage failed (\(op.en)): \(reason.text(in: .en))"
        case let (.newerVersion(path, migrations), .de):
            return "Datenbank \(path) wurde von einer neueren ConsentGate-Version aktualisiert (dieser Version unbekannt: \(migrations.prefix(3).joined(separator: ", "))); diese ältere Version öffnet sie nicht, um nichts in ein ihr fremdes Format zu schreiben. Die neuere Version wieder einsetzen (eine Rückkehr zu einer älteren wird nicht unterstützt) oder eine mit dieser Version erstellte Sicherung wiederherstellen"
        case let (.newerVersion(path, migrations), .en):
            return "database \(path) was updated by a newer version of ConsentGate (unknown to this one: \(migrations.prefix(3).joined(separator: ", "))); this older version does not open it, so as to write nothing into a format it does not know. Install the newer version again (going back to an older one is not supported) or restore a backup made with this version"
        case let (.lockFile(db, file, op, e), _):
            let why = SystemErrorText.failure(op, errno: e)[language]
            return language == .de ? "Datenbank \(db) lässt sich nicht öffnen: Sperrdatei \(file): \(why)"
                                   : "cannot open database \(db): lock file \(file): \(why)"
        }
    }
}
