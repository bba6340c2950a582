import Diagnostics
import Foundation
import Gate

/// The database of a command that only reads or checks what an installation holds (`audit verify`, `audit report`,
/// `audit log`, `consent list`, `users list`, …): it must exist. `AppDatabase.open` creates a missing file, which is
/// right for a command that records (the first `check`, `consent grant`, `serve`), but a reading command given a
/// mistyped `--db` (or run where `./data` is not the installation's) would create an empty installation and answer
/// from it: `audit verify` "audit log OK: 0 entries", `audit report` an Art. 15 report without a single recipient,
/// `consent list` "no consents" – each with exit code 0. A missing database is a storage failure (exit 5), as for the
/// export run (`ExportRunError.databaseMissing`), and nothing is created. The same holds for a command that changes a
/// record which must already be there (`consent withdraw`, `users disable`, `users token`, `users password`): in a new,
/// empty installation it could only fail on the unknown id, after creating that installation.
enum ExistingDatabase {
    /// Throws `MissingDatabaseError` unless something exists at `path` (a folder there is left to `AppDatabase.open`,
    /// which explains it). `changing`: the command changes an existing record rather than only reading.
    static func require(_ path: String, command: String, changing: Bool = false) throws {
        guard FileManager.default.fileExists(atPath: path) else {
            throw MissingDatabaseError(path: path, command: command, changing: changing)
        }
    }

    /// The database at `path`, which must exist (`require`), opened as usual.
    static func open(_ path: String, command: String) throws -> AppDatabase {
        try require(path, command: command)
        return try AppDatabase.open(path: path)
    }
}

/// A reading command, or one that changes an existing record, was pointed at a database file that does not exist (exit 5).
struct MissingDatabaseError: UserFacingError, Equatable {
    /// The database path as resolved (`--db`, `$CONSENTGATE_DB`, or the default).
    let path: String
    /// The command, e.g. `audit verify`.
    let command: String
    /// The command changes a record that must already exist (`consent withdraw`), rather than only reading.
    var changing = false

    var category: ProblemCategory { .storage }

    func message(in language: Language) -> String {
        switch (language, changing) {
        case (.de, false):
            return "Datenbank \(path) fehlt; \(command) liest nur und legt keine neue an (Pfad bei --db oder CONSENTGATE_DB prüfen)"
        case (.de, true):
            return "Datenbank \(path) fehlt; \(command) ändert einen vorhandenen Eintrag und legt keine neue an (Pfad bei --db oder CONSENTGATE_DB prüfen)"
        case (_, false):
            return "database \(path) does not exist; \(command) only reads and does not create one (check --db or CONSENTGATE_DB)"
        case (_, true):
            return "database \(path) does not exist; \(command) changes an existing record and does not create one (check --db or CONSENTGATE_DB)"
        }
    }
}
