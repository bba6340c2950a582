import AuditLog
import Foundation
import GRDB
import PolicyEngine
import Signing
import Synchronization
import Testing
@testable import Gate

/// `DatabaseBackup`: one self-contained, owner-only file, consistent also while the installation writes, never seen
/// half-written, an existing file replaced only when asked.
@Suite struct DatabaseBackupTests {
    /// An installation with the demo data set (consents, subjects, audit entries) and a few decisions.
    static func seeded(_ inst: GateTestInstallation) throws -> Gate {
        let gate = try inst.open()
        _ = try gate.seedDemoDataSet()
        for subject in ["RSK-2022-000063", "RSK-2022-000065"] {
            _ = try gate.check(CheckRequest(subject: subject, partner: "jobcenter", purpose: "job-placement", fields: ["name.family"]),
                               actor: Actor(id: "backup-test"))
        }
        return gate
    }

    /// The files in `dir` other than those named.
    static func others(in dir: String, than names: Set<String>) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir).filter { !names.contains($0) }.sorted()
    }

    @Test func theCopyHoldsWhatTheDatabaseHoldsInOneOwnerOnlyFile() throws {
        let inst = try GateTestInstallation()
        let gate = try Self.seeded(inst)
        let folder = inst.dir.appendingPathComponent("backups").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let target = folder + "/consentgate-backup.sqlite"

        let backup = try DatabaseBackup.write(gate.database, to: target, overwrite: false)

        #expect(backup.path == target)
        #expect(backup.auditEntries == (try gate.auditLog.size()))
        #expect(backup.auditEntries > 10)
        #expect(backup.latestCheckpoint == (try gate.auditLog.latestCheckpoint()))
        let attributes = try FileManager.default.attributesOfItem(atPath: target)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect((attributes[.size] as? Int64) == backup.bytes)
        // One file: no journal, WAL or temporary file beside it, and its header says rollback journal (bytes 18-19 = 1).
        #expect(try Self.others(in: folder, than: ["consentgate-backup.sqlite"]) == [])
        let header = try #require(FileHandle(forReadingAtPath: target)).readData(ofLength: 20)
        #expect(Array(header[18..<20]) == [1, 1])
        // The copy is the installation: same consents and subjects, and its audit log verifies with the demo key.
        let copy = try DatabaseQueue(path: target, configuration: { var c = Configuration(); c.readonly = true; return c }())
        for table in ["consent", "subject", "audit_entry", "audit_checkpoint"] {
            let original = try gate.database.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") }
            #expect(try copy.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") } == original, "\(table)")
        }
        try copy.close()
        let copied = try AppDatabase.open(path: target)
        let report = try AuditLogStore(writer: copied.writer).verify(keys: gate.auditVerifierKeys())
        #expect(report.size == backup.auditEntries)
    }

    /// The backup reads one snapshot while another thread keeps deciding (each decision an audit entry): the copy's
    /// log is complete up to its checkpoint, and holds between the entries before and after.
    @Test func aBackupWhileDecisionsAreLoggedIsConsistent() throws {
        let inst = try GateTestInstallation()
        let gate = try Self.seeded(inst)
        let before = try gate.auditLog.size()
        let stop = Atomic<Bool>(false)
        let failures = Mutex<[String]>([])
        let writer = Thread {
            while !stop.load(ordering: .relaxed) {
                do {
                    _ = try gate.check(CheckRequest(subject: "RSK-2022-000063", partner: "jobcenter", purpose: "job-placement",
                                                    fields: ["name.family"]), actor: Actor(id: "concurrent"))
                } catch { failures.withLock { $0.append("\(error)") } }
            }
        }
        writer.start()
        defer { stop.store(true, ordering: .relaxed) }
        while try gate.auditLog.size() < before + 20 { Thread.sleep(forTimeInterval: 0.005) }
        let target = inst.dir.appendingPathComponent("during-writes.sqlite").path
        let backup = try DatabaseBackup.write(gate.database, to: target, overwrite: false)
        while try gate.auditLog.size() < backup.auditEntries + 20 { Thread.sleep(forTimeInterval: 0.005) }
        stop.store(true, ordering: .relaxed)
        let after = try gate.auditLog.size()

        #expect(failures.withLock { $0 } == [])
        #expect(backup.auditEntries >= before + 20 && backup.auditEntries < after)
        let copied = try AppDatabase.open(path: target)
        let report = try AuditLogStore(writer: copied.writer).verify(keys: gate.auditVerifierKeys())
        #expect(report.size == backup.auditEntries)
        let rows = try copied.writer.read { db in try Int64.fetchOne(db, sql: "SELECT count(*) FROM audit_entry") }
        #expect(rows == backup.auditEntries)
    }

    @Test func anExistingFileIsReplacedOnlyWhenAsked() throws {
        let inst = try GateTestInstallation()
        let gate = try Self.seeded(inst)
        let target = inst.dir.appendingPathComponent("backup.sqlite").path
        try Data("an older backup".utf8).write(to: URL(fileURLWithPath: target))

        #expect(throws: SigningError.self) { try DatabaseBackup.write(gate.database, to: target, overwrite: false) }
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "an older backup")
        #expect(try Self.others(in: inst.dir.path, than: ["backup.sqlite", "db"]) == [])

        let backup = try DatabaseBackup.write(gate.database, to: target, overwrite: true)
        #expect(backup.auditEntries == (try gate.auditLog.size()))
        #expect(try Self.others(in: inst.dir.path, than: ["backup.sqlite", "db"]) == [])
    }

    /// The database itself, a file SQLite or ConsentGate keeps beside it, or the database reached through `..` or a
    /// symbolic link to its folder: refused before anything is written, even with `overwrite` (replacing the live
    /// file would leave its write-ahead log beside a copy it does not belong to).
    @Test(arguments: ["", "-wal", "-shm", "-journal", ".lock", ".export.lock", "via-dotdot", "via-link"])
    func theDatabaseItselfIsNeverTheTarget(suffix: String) throws {
        let inst = try GateTestInstallation()
        let gate = try Self.seeded(inst)
        let db = inst.databasePath
        let folder = (db as NSString).deletingLastPathComponent
        var target = db + suffix
        if suffix == "via-dotdot" { target = folder + "/../db/" + (db as NSString).lastPathComponent }
        if suffix == "via-link" {
            let link = inst.dir.appendingPathComponent("link-to-db-folder").path
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: folder)
            target = link + "/" + (db as NSString).lastPathComponent
        }
        let before = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        #expect(throws: BackupError.targetIsDatabase(path: target, database: db)) {
            try DatabaseBackup.write(gate.database, to: target, overwrite: true)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == before)
        #expect(BackupError.targetIsDatabase(path: target, database: db).category == .usage)
        // A file of another name in the same folder is fine.
        _ = try DatabaseBackup.write(gate.database, to: folder + "/consentgate-copy.sqlite", overwrite: false)
    }

    @Test func aMissingFolderIsAClearStorageError() throws {
        let inst = try GateTestInstallation()
        let gate = try Self.seeded(inst)
        let target = inst.dir.appendingPathComponent("no-such-folder/backup.sqlite").path
        do {
            _ = try DatabaseBackup.write(gate.database, to: target, overwrite: false)
            Issue.record("no error")
        } catch let error as BackupError {
            #expect(error == .cannotCreate(path: target, errno: ENOENT))
            #expect(error.category == .storage)
            #expect(error.message(in: .de).contains("Sicherung \(target) lässt sich nicht anlegen"))
            #expect(error.message(in: .en).contains("cannot create backup \(target)"))
        }
    }

    /// A database whose audit table has a damaged page: SQLite's backup copies pages as they are, and the copy's check
    /// refuses it, so no damaged backup appears under the name (and the message says to check the database).
    @Test func aDamagedDatabaseGivesNoBackup() throws {
        let inst = try GateTestInstallation()
        let gate = try Self.seeded(inst)
        let path = inst.databasePath
        let pageSize = AppDatabase.pageSize
        // A leaf page of `audit_entry` (the table's last page), found before the installation is closed.
        let page = try gate.database.writer.read { db in
            try Int.fetchOne(db, sql: "SELECT max(pageno) FROM dbstat WHERE name = 'audit_entry' AND pagetype = 'leaf'")
        }
        let leaf = try #require(page)
        try gate.database.writer.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
        try gate.database.writer.close()
        // Cell pointers of the leaf point past the page's end: a structural problem quick_check reports.
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        try handle.seek(toOffset: UInt64((leaf - 1) * pageSize + 8))
        handle.write(Data(repeating: 0xFF, count: 16))
        try handle.close()

        let damaged = try AppDatabase.open(path: path)
        let target = inst.dir.appendingPathComponent("backup.sqlite").path
        do {
            _ = try DatabaseBackup.write(damaged, to: target, overwrite: false)
            Issue.record("a damaged database was backed up")
        } catch let error as BackupError {
            guard case .checkFailed(let p, let problems) = error else { Issue.record("\(error)"); return }
            #expect(p == target && !problems.isEmpty)
            #expect(error.message(in: .en).contains("audit verify"))
        }
        #expect(!FileManager.default.fileExists(atPath: target))
        #expect(try Self.others(in: inst.dir.path, than: ["db"]) == [])
    }
}
