import AuditLog
import Diagnostics
import Foundation
import GRDB
import Signing
import StoreDiagnostics
#if canImport(Glibc)
import Glibc
#endif

/// A consistent copy of an installation's database in one file, made while the installation keeps working
/// (`consentgate backup`).
///
/// Why: the one SQLite file holds the consents, the accounts and the audit log that a data protection officer must
/// be able to show for years. Copying it with `cp` while `serve` or an export run writes can give a torn copy: the
/// database file and its write-ahead log (`-wal`) taken at different moments, or the file without the log's latest
/// commits. Here SQLite's online backup copies every page from one read snapshot (writers carry on meanwhile) into a
/// new file that stands alone (rollback journal, no `-wal` beside it), readable only by its owner (it holds personal
/// data), checked with `PRAGMA quick_check`, and only then given its name: no half-written backup is ever visible
/// under it, and an existing file is replaced only when asked.
public struct DatabaseBackup: Sendable, Equatable {
    /// The backup file.
    public let path: String
    /// Its size in bytes.
    public let bytes: Int64
    /// The number of entries in the copy's audit log (its tree size).
    public let auditEntries: Int64
    /// The copy's latest signed checkpoint note (nil for an empty log). Kept apart from the backup, it lets a later
    /// `audit verify --trusted-checkpoint` show whether a restored log still extends what was signed then.
    public let latestCheckpoint: String?

    /// Copies `database` to `path` (see the type's description). `overwrite`: an existing file at `path` is replaced
    /// (in one step); otherwise it is an error and stays untouched. Throws `BackupError` when the copy cannot be made
    /// or fails its check, `SigningError.io` when it cannot be named (both exit 5).
    public static func write(_ database: AppDatabase, to path: String, overwrite: Bool) throws -> DatabaseBackup {
        try write(database, to: path, overwrite: overwrite, whileWriting: { _ in })
    }

    /// `write`, calling `whileWriting` with the temporary copy's path once it is written and checked (tests look at
    /// what is held then).
    static func write(_ database: AppDatabase, to path: String, overwrite: Bool,
                      whileWriting: (String) -> Void) throws -> DatabaseBackup {
        try checkTarget(path, database: database)
        // What killed backups left in this folder goes first (only copies no live backup holds; `BackupWriterLock`).
        BackupWriterLock.removeStale(in: URL(fileURLWithPath: path).deletingLastPathComponent().path)
        let temp = AtomicFile.temporaryName(for: path)
        // Held until the temporary copy has its name or is removed (this defer runs after the one below).
        let writerLock = try BackupWriterLock(temp: temp, target: path)
        defer { withExtendedLifetime(writerLock) {} }
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw BackupError.cannotCreate(path: path, errno: errno) }
        // Exactly 0600 whatever the umask: the copy holds the same personal data as the database.
        let chmodFailed = fchmod(fd, 0o600) != 0 ? errno : nil
        close(fd)
        var placed = false
        // SQLite's own side files of the temporary copy go too if anything fails (a journal while the copy is written).
        defer { if !placed { for suffix in ["", "-journal", "-wal", "-shm"] { unlink(temp + suffix) } } }
        if let chmodFailed { throw BackupError.cannotCreate(path: path, errno: chmodFailed) }

        let size: Int64, checkpoint: String?
        do {
            let copy = try DatabaseQueue(path: temp)
            try database.writer.backup(to: copy)
            try copy.writeWithoutTransaction { db in
                // The source is in WAL mode and the copied header says so; a backup is one file, with no `-wal` to lose.
                try db.execute(sql: "PRAGMA journal_mode = DELETE")
                // A damaged page is either a row of the check or, when SQLite cannot read on, an error of the check itself.
                let problems: [String]
                do { problems = try String.fetchAll(db, sql: "PRAGMA quick_check") } catch let error as DatabaseError
                    where error.resultCode == .SQLITE_CORRUPT || error.resultCode == .SQLITE_NOTADB {
                    throw BackupError.checkFailed(path: path, problems: [error.message ?? "\(error.resultCode)"])
                }
                guard problems == ["ok"] else { throw BackupError.checkFailed(path: path, problems: Array(problems.prefix(5))) }
            }
            let log = AuditLogStore(writer: copy)
            size = try log.size()
            checkpoint = try log.latestCheckpoint()
            try copy.close()
        } catch let error as BackupError {
            throw error
        } catch {
            throw BackupError.copyFailed(path: path, reason: StorageFailureReason(error))
        }
        whileWriting(temp)
        try AtomicFile.place(temp, at: path, overwrite: overwrite)
        placed = true
        let bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64) ?? nil
        return DatabaseBackup(path: path, bytes: bytes ?? 0, auditEntries: size, latestCheckpoint: checkpoint)
    }
}

extension DatabaseBackup {
    /// Throws `BackupError.targetIsDatabase` when `path` is the database or a file beside it (`names`): a caller checks
    /// this before anything else about the target, so that "exists, use --force" is never the advice for it.
    public static func checkTarget(_ path: String, database: AppDatabase) throws {
        if names(path, database.path) { throw BackupError.targetIsDatabase(path: path, database: database.path) }
    }

    /// Whether `target` names the database at `database` or one of SQLite's or ConsentGate's files beside it (`-wal`,
    /// `-shm`, `-journal`, `.lock`, `.export.lock`, `.inuse`), compared with symbolic links (of the folders and of the database file itself) and `..` resolved.
    /// Replacing one of those with a copy would leave the live database's write-ahead log beside a file it does not
    /// belong to, which SQLite would then replay into it; replacing `.inuse` would let a restore take the in-use lock
    /// (`InstallationUse`) on the new file while every open database still holds it on the old one.
    static func names(_ target: String, _ database: String) -> Bool {
        let (t, d) = (DatabaseFileName.resolved(target), DatabaseFileName.resolved(database))
        return t == d || ["-wal", "-shm", "-journal", ".lock", ".export.lock", ".inuse"].contains { t == d + $0 }
    }
}

/// Why a backup was not written (exit 5, or 2 for a target that is the database); nothing is left at the backup's name or beside it.
public enum BackupError: UserFacingError, Equatable {
    /// The backup would replace the database itself or one of the files beside it (exit 2: a mistaken `--out`).
    case targetIsDatabase(path: String, database: String)
    /// The backup file could not be created in its folder (missing, not writable, …): `errno` of `open`.
    case cannotCreate(path: String, errno: Int32)
    /// SQLite could not copy the database into it (disk full, the database unreadable, …).
    case copyFailed(path: String, reason: StorageFailureReason)
    /// The copy failed SQLite's `quick_check` (its first problems): the source database itself needs attention.
    case checkFailed(path: String, problems: [String])

    /// A target that is the database itself (or a file beside it) is a usage error (2); every other case is a storage
    /// failure (5).
    public var category: ProblemCategory {
        if case .targetIsDatabase = self { return .usage }
        return .storage
    }

    /// The problem in `language`, naming the file, template or database concerned.
    public func message(in language: Language) -> String {
        switch (self, language) {
        case let (.targetIsDatabase(path, database), .de):
            return "--out: \(path) ist die Datenbank \(database) oder eine Datei daneben; die Sicherung gehört an einen anderen Ort"
        case let (.targetIsDatabase(path, database), .en):
            return "--out: \(path) is the database \(database) or a file beside it; write the backup somewhere else"
        case let (.cannotCreate(path, code), _):
            let why = SystemErrorText.failure("open", errno: code)[language]
            return language == .de ? "Sicherung \(path) lässt sich nicht anlegen: \(why)" : "cannot create backup \(path): \(why)"
        case let (.copyFailed(path, reason), .de):
            return "Sicherung \(path) nicht geschrieben: das Kopieren der Datenbank schlug fehl: \(reason.text(in: .de))"
        case let (.copyFailed(path, reason), .en):
            return "backup \(path) not written: copying the database failed: \(reason.text(in: .en))"
        case let (.checkFailed(path, problems), .de):
            return "Sicherung \(path) nicht geschrieben: die Kopie besteht die Prüfung (PRAGMA quick_check) nicht: "
                + problems.joined(separator: "; ") + " – die Datenbank selbst prüfen (consentgate audit verify)"
        case let (.checkFailed(path, problems), .en):
            return "backup \(path) not written: the copy fails SQLite's check (PRAGMA quick_check): "
                + problems.joined(separator: "; ") + " – check the database itself (consentgate audit verify)"
        }
    }
}
