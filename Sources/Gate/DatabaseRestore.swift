import AuditLog
import Diagnostics
import Foundation
import GRDB
import GRDBSQLite
import Signing
import StoreDiagnostics
#if canImport(Glibc)
import Glibc
#endif

/// Puts a backup (`DatabaseBackup`) in the place of an installation's database (`consentgate restore`).
///
/// Why a command and not `cp`: the database's write-ahead log. A `-wal` file left beside the restored file would be
/// replayed into it by SQLite at the next open, and a `serve` still running would go on writing into the old file.
/// So the restore refuses while anything has the database open (`InstallationUse`, exclusive), checks the backup and
/// copies it beside the database before anything is changed, keeps the current database in a folder of its own (kept,
/// not deleted: it may be evidence, or the newer data) and then gives the copy the database's name in one `rename(2)`.
///
/// Why in that order: at every instant the database's name is a whole database, the old one or the restored one, also
/// when the restore is killed or the machine loses power in between (a name without a database would make the next
/// command, e.g. a `serve` started by systemd, create an empty installation with a new audit log). The old file is
/// kept by a hard link (it keeps its name until the rename replaces it), what its `-wal` holds is first written into
/// the file itself (a checkpoint; the old database is whole without it), and only then are its `-wal`, `-shm` and
/// `-journal` moved into the folder, so that none of them is ever beside the restored file.
public struct DatabaseRestore: Sendable, Equatable {
    /// The database that now holds the backup's content.
    public let database: String
    /// Where the database files it replaced went (nil when there was no database).
    public let replacedFolder: String?
    /// The number of entries in the restored audit log.
    public let auditEntries: Int64
    /// The restored log's latest signed checkpoint (nil for an empty log).
    public let latestCheckpoint: String?

    /// The files SQLite keeps beside a database, moved with it.
    static let companions = ["", "-wal", "-shm", "-journal"]

    /// The steps of a restore after which the files beside the database have changed, in order: a test looks at the
    /// database's name after each (`run(…step:)`), as a restore killed there would have left it.
    enum Step: String, Sendable, CaseIterable {
        /// The keep folder is made and the old database file has a second name in it.
        case keptByLink
        /// The old database's `-wal` is written into its file (or could not be: a damaged database).
        case checkpointed
        /// Its `-wal`, `-shm` and `-journal` are in the keep folder.
        case sideFilesMoved
        /// The restored copy has the database's name.
        case placed
    }

    /// Restores `backup` as the database at `path`. `keepFolder`: where the current database files go (default
    /// `<folder of path>/replaced-<UTC time>`; it must not exist yet and must be on the database's file system).
    /// Throws `RestoreError` (a backup that is not one: exit 3; the folders: exit 5), `InstallationInUseError` (exit 5).
    public static func run(backup: String, database given: String, keepFolder: String? = nil, now: Date = Date()) throws -> DatabaseRestore {
        try run(backup: backup, database: given, keepFolder: keepFolder, now: now, step: { _ in })
    }

    /// `run`, with the step that copies the backup (`copy`), the one that gives the copy the database's name
    /// (`AtomicFile.place`, replacing the old file in one rename) passed in, and `step` called after each change of
    /// the files (tests make them fail, or look at the files in between).
    static func run(backup: String, database given: String, keepFolder: String? = nil, now: Date = Date(),
                    copy copyBackup: (_ backup: String, _ temp: String) throws -> Void = { try copy($0, to: $1) },
                    place: (_ temp: String, _ path: String) throws -> Void = { try AtomicFile.place($0, at: $1, overwrite: true) },
                    step: (Step) throws -> Void) throws -> DatabaseRestore {
        try checkBackup(backup)
        // The files are kept and placed under the database's real name: a database reached through a symbolic link has
        // its `-wal` beside the file the link points to, and the link stays a link (`DatabaseFileName`).
        let path = DatabaseFileName.resolved(given)
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty, !FileManager.default.fileExists(atPath: folder) {
            do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
                throw RestoreError.folder(path: folder, reason: SystemErrorText.mkdirFailure(folder))
            }
        }
        let lock = try InstallationUse(databasePath: given, exclusive: true)
        // A process of a release without the in-use lock, or any other SQLite user, still having the database open.
        if SQLiteSharedMemoryProbe.openElsewhere(database: path) { throw InstallationInUseError(database: given) }
        removeStaleCopies(of: path)
        // The copy is made first, beside the database: a copy that fails (a full disk) leaves the database where it is,
        // and a backup that is the database itself (a mistaken `--from`) is not changed before it is read.
        let temp = AtomicFile.temporaryName(for: path)
        defer { for suffix in companions { unlink(temp + suffix) } }   // nothing is left at that name once it is placed
        do { try copyBackup(backup, temp) } catch {
            throw RestoreError.notPlaced(database: given, reason: StorageFailureReason(error))
        }
        // The restored file takes the owner and group of the database it replaces (SQLite gives its `-wal` and `-shm`
        // files the database's owner, too): a restore run as root must not leave a `serve` running under a service
        // account unable to write its own database. A caller who may not give the file away keeps it.
        giveOwner(of: path, to: temp)
        let name = (path as NSString).lastPathComponent
        let present = companions.filter { FileManager.default.fileExists(atPath: path + $0) }
        var replaced: String? = nil
        var linked = false
        var moved: [String] = []
        // Undoes what was done to keep the old files: the side files go back, the second name and the folder made for
        // them are removed. The database itself never left its name, so it stays whole, and the same command can be
        // run again. False when something stays in `keep`.
        @discardableResult func putBack(from keep: String) -> Bool {
            var all = true
            for done in moved.reversed() where rename(keep + "/" + name + done, path + done) != 0 { all = false }
            if linked && unlink(keep + "/" + name) != 0 { all = false }
            return all && rmdir(keep) == 0
        }
        if !present.isEmpty {
            let keep = keepFolder ?? ((folder.isEmpty ? "." : folder) + "/replaced-" + RunStamp.format(now))
            guard mkdir(keep, 0o700) == 0 else { throw RestoreError.folder(path: keep, reason: SystemErrorText.failure("mkdir", errno: errno)) }
            do {
                if present.contains("") {
                    if try keepByLink(path, at: keep + "/" + name) { linked = true } else { moved.append("") }
                    try step(.keptByLink)
                    // The old file alone is then the whole old database (also in the keep folder, the same file); a damaged
                    // one that cannot be checkpointed keeps its `-wal` beside it there.
                    if linked { checkpoint(path) }
                    try step(.checkpointed)
                }
                for suffix in present where suffix != "" {
                    guard rename(path + suffix, keep + "/" + name + suffix) == 0 else {
                        throw RestoreError.folder(path: keep, reason: SystemErrorText.failure("rename " + name + suffix, errno: errno))
                    }
                    moved.append(suffix)
                }
                try step(.sideFilesMoved)
            } catch {
                putBack(from: keep)
                throw error
            }
            replaced = keep
        }
        do { try place(temp, path) } catch {
            // The old database kept its name throughout: once the folder is cleared again, nothing has changed.
            guard let keep = replaced, !putBack(from: keep) else {
                throw RestoreError.notPlaced(database: given, reason: StorageFailureReason(error))
            }
            throw RestoreError.notRestored(database: given, replacedFolder: keep, reason: StorageFailureReason(error))
        }
        do {
            try step(.placed)
            // Opened as every command opens it (WAL mode, migrations of a backup made by an older version), under the
            // restore's own lock.
            let restored = try AppDatabase.open(path: path, inUse: lock)
            let log = AuditLogStore(writer: restored.writer)
            return DatabaseRestore(database: given, replacedFolder: replaced, auditEntries: try log.size(),
                                   latestCheckpoint: try log.latestCheckpoint())
        } catch {
            throw RestoreError.notRestored(database: given, replacedFolder: replaced, reason: StorageFailureReason(error))
        }
    }

    /// Gives the database file `path` the second name `kept` (a hard link: the same file, nothing copied). A file
    /// system without hard links (FAT, exFAT: `EPERM`; others `EOPNOTSUPP`, `ENOSYS`) gets a copy instead; something
    /// other than a regular file at the database's name is moved, as there is no database to keep whole. True when
    /// `path` is still there (linked or copied), false when it was moved.
    static func keepByLink(_ path: String, at kept: String) throws -> Bool {
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            guard rename(path, kept) == 0 else { throw RestoreError.folder(path: kept, reason: SystemErrorText.failure("rename", errno: errno)) }
            return false
        }
        if link(path, kept) == 0 { return true }
        let e = errno
        guard [EPERM, EOPNOTSUPP, ENOSYS].contains(e) else {
            throw RestoreError.folder(path: (kept as NSString).deletingLastPathComponent,
                                      reason: SystemErrorText.failure("link " + (path as NSString).lastPathComponent, errno: e))
        }
        do { try FileManager.default.copyItem(atPath: path, toPath: kept) } catch {
            unlink(kept)
            throw RestoreError.folder(path: kept, reason: SystemErrorText.failure("copy", errno: e))
        }
        return true
    }

    /// Writes what the `-wal` of the database at `path` holds into the database file (`wal_checkpoint(TRUNCATE)`), so
    /// that the file alone is the whole database. Nothing else has it open (the caller holds the in-use lock
    /// exclusively). The `-wal` (then empty) and `-shm` stay (`SQLITE_FCNTL_PERSIST_WAL`): they are moved into the
    /// keep folder with the file, or stay as they were when the restore stops. False when the file cannot be opened or
    /// checkpointed (a damaged file, or not a database at all).
    @discardableResult
    static func checkpoint(_ path: String) -> Bool {
        do {
            var config = Configuration()
            config.prepareDatabase { db in
                var persist: Int32 = 1
                _ = sqlite3_file_control(db.sqliteConnection, nil, SQLITE_FCNTL_PERSIST_WAL, &persist)
            }
            let queue = try DatabaseQueue(path: path, configuration: config)
            defer { try? queue.close() }
            guard let row = try queue.writeWithoutTransaction({ try Row.fetchOne($0, sql: "PRAGMA wal_checkpoint(TRUNCATE)") }) else { return false }
            let busy: Int = row[0]
            return busy == 0
        } catch {
            return false
        }
    }

    /// Gives `temp` the owner and group of the file at `path`, if there is one. Only the copy itself: the folder may be
    /// writable by the database's owner (the service account), who could put a symbolic or hard link to a file of root's
    /// at the copy's name; `chown` would follow it and give that file away. So the name is opened without following a
    /// link and changed through that descriptor only while it is a regular file with this one name (`RestoreOwnerLinkTests`).
    static func giveOwner(of path: String, to temp: String) {
        var replacedFile = stat()
        guard stat(path, &replacedFile) == 0 else { return }
        let fd = open(temp, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return }
        defer { close(fd) }
        var copy = stat()
        guard fstat(fd, &copy) == 0, copy.st_mode & S_IFMT == S_IFREG, copy.st_nlink == 1 else { return }
        _ = fchown(fd, replacedFile.st_uid, replacedFile.st_gid)
    }

    /// Removes the temporary copies (`.NAME.tmp-<12 hex digits>` and their journals) that a killed restore left beside
    /// the database `path`. Only a restore writes such a file there, and only while it holds the in-use lock exclusively,
    /// as the caller does now: whatever is there is a dead restore's. A copy with a lock file beside it (a backup's,
    /// `BackupWriterLock`) is left alone. Best effort.
    static func removeStaleCopies(of path: String) {
        let folder = (path as NSString).deletingLastPathComponent, prefix = "." + (path as NSString).lastPathComponent + ".tmp-"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.isEmpty ? "." : folder)) ?? []
        for name in names where name.hasPrefix(prefix) && BackupWriterLock.isTemporaryCopyName(name) && !names.contains(name + ".lock") {
            for suffix in companions { unlink((folder.isEmpty ? "." : folder) + "/" + name + suffix) }
        }
    }

    /// Copies the backup's content into the new file `temp` (mode `0640`; the caller gives it the replaced database's owner): through SQLite's online backup from one read
    /// snapshot, so that what a `-wal` beside the backup still holds is in the copy (the backup was opened since it was
    /// written, e.g. by `audit verify --db BACKUP`; a plain file copy takes the main file alone and loses it). The copy
    /// is one file (rollback journal) until `AppDatabase.open` puts it in WAL mode.
    static func copy(_ backup: String, to temp: String) throws {
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw RestoreError.folder(path: temp, reason: SystemErrorText.failure("open", errno: errno)) }
        let chmodFailed = fchmod(fd, 0o640) != 0 ? errno : nil   // whatever the umask
        close(fd)
        if let chmodFailed { throw RestoreError.folder(path: temp, reason: SystemErrorText.failure("chmod", errno: chmodFailed)) }
        var config = Configuration()
        config.readonly = true
        let source = try DatabaseQueue(path: backup, configuration: config)
        defer { try? source.close() }
        let copy = try DatabaseQueue(path: temp)
        try source.backup(to: copy)
        try copy.writeWithoutTransaction { try $0.execute(sql: "PRAGMA journal_mode = DELETE") }
        try copy.close()
    }

    /// The backup must be a ConsentGate database that passes SQLite's check: read only, before anything is moved.
    static func checkBackup(_ backup: String) throws {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: backup, isDirectory: &isDir) else {
            throw RestoreError.notABackup(path: backup, reason: LocalizedText(de: "die Datei fehlt", en: "the file does not exist"))
        }
        guard !isDir.boolValue else {
            throw RestoreError.notABackup(path: backup, reason: LocalizedText(de: "ist ein Ordner, keine Sicherungsdatei", en: "is a folder, not a backup file"))
        }
        var config = Configuration()
        config.readonly = true
        do {
            let queue = try DatabaseQueue(path: backup, configuration: config)
            defer { try? queue.close() }
            let why: LocalizedText? = try queue.read { db in
                for table in ["audit_entry", "audit_checkpoint", "account", "consent", "grdb_migrations"] where try !db.tableExists(table) {
                    return LocalizedText(de: "keine ConsentGate-Datenbank (Tabelle \(table) fehlt)",
                                         en: "not a ConsentGate database (table \(table) is missing)")
                }
                // GRDB ignores migrations it does not know, so this version would go on working on a schema a newer one
                // made (columns it does not fill, meanings it does not know): such a backup belongs to that version.
                let migrator = AppDatabase.migrator
                let unknown = try migrator.appliedIdentifiers(db).subtracting(migrator.migrations).sorted()
                if !unknown.isEmpty {
                    let names = unknown.prefix(3).joined(separator: ", ")
                    return LocalizedText(de: "von einer neueren ConsentGate-Version geschrieben (ihr unbekannte Migrationen: \(names)); mit dieser Version wiederherstellen",
                                         en: "written by a newer version of ConsentGate (migrations unknown to this one: \(names)); restore it with that version")
                }
                let problems = try String.fetchAll(db, sql: "PRAGMA quick_check")
                return problems == ["ok"] ? nil : LocalizedText(de: "besteht die Prüfung nicht: " + problems.prefix(3).joined(separator: "; "),
                                                                 en: "fails SQLite's check: " + problems.prefix(3).joined(separator: "; "))
            }
            if let why { throw RestoreError.notABackup(path: backup, reason: why) }
        } catch let error as RestoreError {
            throw error
        } catch {
            let reason = StorageFailureReason(error)
            throw RestoreError.notABackup(path: backup, reason: LocalizedText(de: reason.text(in: .de), en: reason.text(in: .en)))
        }
    }
}

/// A compact UTC time for folder names, to the second: `20261205T120000Z`.
enum RunStamp {
    static func format(_ date: Date) -> String {
        AuditTime.format(date).replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "")
    }
}

/// Why a restore did not happen, or did not finish.
public enum RestoreError: UserFacingError, Equatable {
    /// The file given as the backup is not a ConsentGate database that passes SQLite's check (exit 3); nothing moved.
    case notABackup(path: String, reason: LocalizedText)
    /// A folder could not be made or a file not moved into it (exit 5).
    case folder(path: String, reason: LocalizedText)
    /// The backup could not be put in place after the old database was moved (exit 5): where the old files are.
    case notRestored(database: String, replacedFolder: String?, reason: StorageFailureReason)
    /// The backup could not be copied beside the database or not be given its name (exit 5); the database is as it was.
    case notPlaced(database: String, reason: StorageFailureReason)

    /// A file that is not a ConsentGate backup is invalid input (3); the rest are storage failures (5).
    public var category: ProblemCategory {
        if case .notABackup = self { return .invalidInput }
        return .storage
    }

    /// The problem in `language`, naming the file, template or database concerned.
    public func message(in language: Language) -> String {
        switch (self, language) {
        case let (.notABackup(path, reason), .de): return "\(path) ist keine verwendbare Sicherung: \(reason.de); nichts wurde verändert"
        case let (.notABackup(path, reason), .en): return "\(path) is not a usable backup: \(reason.en); nothing was changed"
        case let (.folder(path, reason), _):
            return language == .de ? "Wiederherstellung abgebrochen: \(path): \(reason.de)" : "restore stopped: \(path): \(reason.en)"
        case let (.notRestored(db, folder, reason), .de):
            return "Sicherung nicht an die Stelle von \(db) gebracht: \(reason.text(in: .de))"
                + (folder.map { "; die bisherige Datenbank liegt unverändert in \($0)" } ?? "")
        case let (.notRestored(db, folder, reason), .en):
            return "backup not put in the place of \(db): \(reason.text(in: .en))"
                + (folder.map { "; the previous database is unchanged in \($0)" } ?? "")
        case let (.notPlaced(db, reason), .de):
            return "Sicherung nicht an die Stelle von \(db) gebracht: \(reason.text(in: .de)); die Datenbank ist unverändert"
        case let (.notPlaced(db, reason), .en):
            return "backup not put in the place of \(db): \(reason.text(in: .en)); the database is unchanged"
        }
    }
}
