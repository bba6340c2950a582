import AuditLog
import Diagnostics
import Foundation
import GRDB
import Signing
#if canImport(Glibc)
import Glibc
#endif

/// Puts a backup (`DatabaseBackup`) in the place of an installation's database (`consentgate restore`).
///
/// Why a command and not `cp`: the database's write-ahead log. A `-wal` file left beside the restored file would be
/// replayed into it by SQLite at the next open, and a `serve` still running would go on writing into the old file.
/// So the restore refuses while anything has the database open (`InstallationUse`, exclusive), moves the current
/// database together with its `-wal`, `-shm` and `-journal` into a folder of their own (kept, not deleted: they may be
/// evidence, or the newer data), checks the backup before anything is moved, and puts the copy in place atomically.
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

    /// Restores `backup` as the database at `path`. `keepFolder`: where the current database files go (default
    /// `<folder of path>/replaced-<UTC time>`; it must not exist yet and must be on the database's file system).
    /// Throws `RestoreError` (a backup that is not one: exit 3; the folders: exit 5), `InstallationInUseError` (exit 5).
    public static func run(backup: String, database given: String, keepFolder: String? = nil, now: Date = Date()) throws -> DatabaseRestore {
        try run(backup: backup, database: given, keepFolder: keepFolder, now: now,
                place: { try AtomicFile.place($0, at: $1, overwrite: false) })
    }

    /// `run`, with the step that gives the copy the database's name (`AtomicFile.place`) passed in (tests make it fail).
    static func run(backup: String, database given: String, keepFolder: String? = nil, now: Date = Date(),
                    place: (_ temp: String, _ path: String) throws -> Void) throws -> DatabaseRestore {
        try checkBackup(backup)
        // The files are moved and placed under the database's real name: a database reached through a symbolic link has
        // its `-wal` beside the file the link points to, and the link stays a link (`DatabaseFileName`).
        let path = DatabaseFileName.resolved(given)
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty, !FileManager.default.fileExists(atPath: folder) {
            do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
                throw RestoreError.folder(path: folder, reason: SystemErrorText.mkdirFailure(folder))
            }
        }
        let lock = try InstallationUse(databasePath: given, exclusive: true)
        removeStaleCopies(of: path)
        // The copy is made first, beside the database: a copy that fails (a full disk) leaves the database where it is,
        // and a backup that is the database itself (a mistaken `--from`) is not moved away before it is read.
        let temp = AtomicFile.temporaryName(for: path)
        defer { for suffix in companions { unlink(temp + suffix) } }   // nothing is left at that name once it is placed
        do { try copy(backup, to: temp) } catch {
            throw RestoreError.notRestored(database: given, replacedFolder: nil, reason: StorageFailureReason(error))
        }
        // The restored file takes the owner and group of the database it replaces (SQLite gives its `-wal` and `-shm`
        // files the database's owner, too): a restore run as root must not leave a `serve` running under a service
        // account unable to write its own database. A caller who may not give the file away keeps it.
        giveOwner(of: path, to: temp)
        let present = companions.filter { FileManager.default.fileExists(atPath: path + $0) }
        var replaced: String? = nil
        var moved: [String] = []
        // Puts back what was moved and removes the folder made for it: the database stays whole (a `-wal` apart from its
        // database is no use), nothing is left without a database at its place (the next command would create an empty
        // one), and the same command can be run again. False when something stays in `keep`.
        @discardableResult func putBack(from keep: String) -> Bool {
            var all = true
            for done in moved.reversed() where rename(keep + "/" + (path as NSString).lastPathComponent + done, path + done) != 0 { all = false }
            return all && rmdir(keep) == 0
        }
        if !present.isEmpty {
            let keep = keepFolder ?? ((folder.isEmpty ? "." : folder) + "/replaced-" + RunStamp.format(now))
            guard mkdir(keep, 0o700) == 0 else { throw RestoreError.folder(path: keep, reason: SystemErrorText.failure("mkdir", errno: errno)) }
            for suffix in present {
                let name = (path as NSString).lastPathComponent + suffix
                guard rename(path + suffix, keep + "/" + name) == 0 else {
                    let e = errno
                    putBack(from: keep)
                    throw RestoreError.folder(path: keep, reason: SystemErrorText.failure("rename " + name, errno: e))
                }
                moved.append(suffix)
            }
            replaced = keep
        }
        do { try place(temp, path) } catch {
            let keptStill = replaced.flatMap { putBack(from: $0) ? nil : $0 }
            throw RestoreError.notRestored(database: given, replacedFolder: keptStill, reason: StorageFailureReason(error))
        }
        do {
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
        guard FileManager.default.fileExists(atPath: backup, isDirectory: &isDir), !isDir.boolValue else {
            throw RestoreError.notABackup(path: backup, reason: LocalizedText(de: "die Datei fehlt", en: "the file does not exist"))
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

    public var category: ProblemCategory {
        if case .notABackup = self { return .invalidInput }
        return .storage
    }

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
        }
    }
}
