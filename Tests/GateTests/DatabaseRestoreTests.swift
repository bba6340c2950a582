import AuditLog
import Foundation
import GRDB
import PolicyEngine
import Signing
import Testing
@testable import Gate

/// `DatabaseRestore`: the backup's content in the database's place, the replaced files (with their write-ahead log)
/// kept apart and never replayed into it, refused while the database is open anywhere, and nothing moved for a file
/// that is not a backup.
@Suite struct DatabaseRestoreTests {
    /// An installation with a backup taken after the demo data set, and three decisions logged after the backup (so the
    /// database and its `-wal` hold entries the backup does not). The gate is closed again when this returns.
    /// A backup, then three decisions more; the installation closed again (`waitUntilClosed`), as before a restore.
    static func backupThenMore(_ inst: GateTestInstallation) throws -> (backup: DatabaseBackup, entriesAfter: Int64) {
        let (backup, after) = try { () throws -> (DatabaseBackup, Int64) in
            let gate = try inst.open()
            _ = try gate.seedDemoDataSet()
            let backup = try DatabaseBackup.write(gate.database, to: inst.dir.appendingPathComponent("backup.sqlite").path, overwrite: false)
            for _ in 0..<3 {
                _ = try gate.check(CheckRequest(subject: "RSK-2022-000063", partner: "jobcenter", purpose: "job-placement", fields: ["name.family"]),
                                   actor: Actor(id: "after-backup"))
            }
            return (backup, try gate.auditLog.size())
        }()
        try inst.waitUntilClosed()
        return (backup, after)
    }

    static func files(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
    }

    @Test func theBackupReplacesTheDatabaseAndTheOldFilesAreKept() throws {
        let inst = try GateTestInstallation()
        let (backup, after) = try Self.backupThenMore(inst)
        #expect(after == backup.auditEntries + 3)
        let db = inst.databasePath
        let folder = (db as NSString).deletingLastPathComponent
        #expect(FileManager.default.fileExists(atPath: db + "-wal"), "the newer entries are (also) in the write-ahead log")
        let now = Date(timeIntervalSince1970: 1_796_000_000)

        let restored = try DatabaseRestore.run(backup: backup.path, database: db, now: now)

        #expect(restored.auditEntries == backup.auditEntries, "the old -wal was not replayed into the restored file")
        #expect(restored.latestCheckpoint == backup.latestCheckpoint)
        let kept = try #require(restored.replacedFolder)
        #expect(kept == folder + "/replaced-" + RunStamp.format(now))
        #expect(Self.files(kept).contains("consentgate.sqlite") && Self.files(kept).contains("consentgate.sqlite-wal"))
        // The kept files are the newer installation, whole: opened where they are, they hold the three later entries.
        let old = try AppDatabase.open(path: kept + "/consentgate.sqlite")
        #expect(try AuditLogStore(writer: old.writer).size() == after)
        // The restored installation opens as usual, verifies, and goes on from the backup's state.
        let gate = try inst.open()
        #expect(try gate.auditLog.size() == backup.auditEntries)
        _ = try gate.auditLog.verify(keys: gate.auditVerifierKeys())
        _ = try StoreChecks.verify(in: gate.database.writer)
        let mode = try FileManager.default.attributesOfItem(atPath: db)[.posixPermissions] as? Int
        #expect(mode == 0o640)
    }

    @Test func aDatabaseInUseIsNotReplaced() throws {
        let inst = try GateTestInstallation()
        let (backup, after) = try Self.backupThenMore(inst)
        let gate = try inst.open()   // as `serve` would keep it open
        let before = Self.files((inst.databasePath as NSString).deletingLastPathComponent)

        #expect(throws: InstallationInUseError(database: inst.databasePath)) {
            try DatabaseRestore.run(backup: backup.path, database: inst.databasePath)
        }
        #expect(Self.files((inst.databasePath as NSString).deletingLastPathComponent) == before, "nothing moved")
        #expect(try gate.auditLog.size() == after)
        #expect(InstallationInUseError(database: "x").category == .storage)
    }

    @Test(arguments: ["text", "empty-sqlite", "missing", "folder"])
    func aFileThatIsNotABackupMovesNothing(kind: String) throws {
        let inst = try GateTestInstallation()
        _ = try Self.backupThenMore(inst)
        let candidate = inst.dir.appendingPathComponent("candidate").path
        switch kind {
        case "text": try Data("not a database".utf8).write(to: URL(fileURLWithPath: candidate))
        case "empty-sqlite":
            let q = try DatabaseQueue(path: candidate)
            try q.write { try $0.execute(sql: "CREATE TABLE other (x)") }
            try q.close()
        case "folder": try FileManager.default.createDirectory(atPath: candidate, withIntermediateDirectories: false)
        default: break
        }
        let folder = (inst.databasePath as NSString).deletingLastPathComponent
        let before = Self.files(folder)
        do {
            _ = try DatabaseRestore.run(backup: candidate, database: inst.databasePath)
            Issue.record("restored from \(kind)")
        } catch let error as RestoreError {
            guard case .notABackup(let path, _) = error else { Issue.record("\(error)"); return }
            #expect(path == candidate)
            #expect(error.category == .invalidInput)
            #expect(error.message(in: .en).hasSuffix("nothing was changed"))
        }
        #expect(Self.files(folder) == before)
    }

    @Test func aKeepFolderThatExistsStopsBeforeAnythingMoves() throws {
        let inst = try GateTestInstallation()
        let (backup, _) = try Self.backupThenMore(inst)
        let keep = inst.dir.appendingPathComponent("kept").path
        try FileManager.default.createDirectory(atPath: keep, withIntermediateDirectories: false)
        let folder = (inst.databasePath as NSString).deletingLastPathComponent
        let before = Self.files(folder)
        #expect(throws: RestoreError.self) {
            try DatabaseRestore.run(backup: backup.path, database: inst.databasePath, keepFolder: keep)
        }
        #expect(Self.files(folder) == before)
        #expect(Self.files(keep) == [])
    }

    /// The disk with the database is lost: the backup is restored where the database was, with nothing to keep.
    @Test func intoAnEmptyPlace() throws {
        let inst = try GateTestInstallation()
        let (backup, _) = try Self.backupThenMore(inst)
        let fresh = inst.dir.appendingPathComponent("new-disk/data/consentgate.sqlite").path

        let restored = try DatabaseRestore.run(backup: backup.path, database: fresh)

        #expect(restored.replacedFolder == nil)
        #expect(restored.auditEntries == backup.auditEntries)
        #expect(FileManager.default.fileExists(atPath: fresh))
    }
}
