import Diagnostics
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A `flock(2)` on `<database>.inuse`: shared by every process that has the installation's database open
/// (`AppDatabase.open` takes it and keeps it while the database is in use), exclusive for `consentgate restore`.
///
/// Why: a restore replaces the database file. A `serve` or an export run that still had the old file open would go on
/// writing into it (and its write-ahead log) as if nothing had happened, and its next commits would be lost or, with a
/// `-wal` left beside the new file, replayed into it. The restore therefore takes this lock exclusively without
/// waiting and refuses while anyone holds it; while the restore holds it, opening the database waits until it is done.
/// The kernel drops the lock when a process ends, also when it is killed.
public final class InstallationUse: Sendable {
    private let fd: Int32

    /// Takes the lock on `databasePath`'s `.inuse` file: shared (waiting while a restore holds it), or exclusive
    /// without waiting (`InstallationInUseError` when anyone else holds it).
    init(databasePath: String, exclusive: Bool) throws {
        // Beside the database's real name, so that a process that reaches it through a symbolic link and one that does
        // not hold the same lock, and owned like the database (`DatabaseLockFile`).
        let file = DatabaseLockFile.path(database: databasePath, suffix: ".inuse")
        let fd = DatabaseLockFile.open(file, database: databasePath)
        guard fd >= 0 else { throw StorageError.lockFile(database: databasePath, file: file, operation: "open lock file", errno: errno) }
        while flock(fd, exclusive ? LOCK_EX | LOCK_NB : LOCK_SH) != 0 {
            if errno == EINTR { continue }
            let e = errno
            close(fd)
            if exclusive && e == EWOULDBLOCK { throw InstallationInUseError(database: databasePath) }
            throw StorageError.lockFile(database: databasePath, file: file, operation: "flock", errno: e)
        }
        self.fd = fd
    }

    deinit { close(fd) }   // closing the descriptor releases the lock
}

/// The database is open in another process (or elsewhere in this one): `serve`, an export run, another command
/// (exit 5). A restore is only possible while nothing uses it.
public struct InstallationInUseError: UserFacingError, Equatable {
    /// The database.
    public let database: String

    /// A storage failure (exit 5): the database cannot be used now; nothing was wrong with the command.
    public var category: ProblemCategory { .storage }

    /// The problem in `language`, naming the file, template or database concerned.
    public func message(in language: Language) -> String {
        language == .de
            ? "Datenbank \(database) ist in Gebrauch (serve, ein Exportlauf oder ein anderer Befehl hat sie geöffnet); zuerst beenden, dann wiederherstellen"
            : "database \(database) is in use (serve, an export run or another command has it open); stop it first, then restore"
    }
}
