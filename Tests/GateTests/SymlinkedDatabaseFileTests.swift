import AuditLog
import Foundation
import PolicyEngine
import Testing
@testable import Gate

/// A database path that is a symbolic link to the database file (e.g. `data/consentgate.sqlite` pointing at a file on
/// another disk). SQLite follows the link: the write-ahead log is `<target>-wal`. The backup's check for "the database
/// itself" compared only the folders with links resolved, so `--out <target> --force` replaced the live file; and the
/// in-use lock was taken beside the name given, so a `serve` started with one name and a restore given the other did
/// not see each other.
@Suite struct SymlinkedDatabaseFileTests {
    /// The installation's database file and a link to it in another folder.
    static func linked(_ inst: GateTestInstallation) throws -> (real: String, link: String) {
        let folder = inst.dir.appendingPathComponent("elsewhere").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let link = folder + "/consentgate.sqlite"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: inst.databasePath)
        return (inst.databasePath, link)
    }

    @Test(arguments: ["", "-wal", ".inuse"])
    func theLinkedFileIsNeverTheBackupTarget(suffix: String) throws {
        let inst = try GateTestInstallation()
        _ = try inst.open()   // creates the database at its real path
        let (real, link) = try Self.linked(inst)
        let database = try AppDatabase.open(path: link)
        _ = try AuditLogStore(writer: database.writer).size()
        let target = real + suffix
        let inode = try FileManager.default.attributesOfItem(atPath: real)[.systemFileNumber] as? Int

        #expect(throws: BackupError.targetIsDatabase(path: target, database: link)) {
            try DatabaseBackup.write(database, to: target, overwrite: true)
        }
        #expect(try FileManager.default.attributesOfItem(atPath: real)[.systemFileNumber] as? Int == inode)
    }

    @Test(arguments: [true, false])
    func aRestoreSeesTheDatabaseOpenUnderTheOtherName(openedThroughLink: Bool) throws {
        let inst = try GateTestInstallation()
        let backup: DatabaseBackup
        do {
            let gate = try inst.open()
            backup = try DatabaseBackup.write(gate.database, to: inst.dir.appendingPathComponent("b.sqlite").path, overwrite: false)
        }
        let (real, link) = try Self.linked(inst)
        let held = try AppDatabase.open(path: openedThroughLink ? link : real)   // as `serve` would keep it open, alone
        let restoreName = openedThroughLink ? real : link
        let inode = try FileManager.default.attributesOfItem(atPath: real)[.systemFileNumber] as? Int

        #expect(throws: InstallationInUseError.self) {
            try DatabaseRestore.run(backup: backup.path, database: restoreName)
        }
        #expect(try FileManager.default.attributesOfItem(atPath: real)[.systemFileNumber] as? Int == inode, "not replaced")
        #expect(try AuditLogStore(writer: held.writer).size() == backup.auditEntries)
    }

    /// Restored through the link, the backup takes the place of the file the link points to; the link stays a link.
    @Test func aRestoreThroughTheLinkReplacesTheLinkedFile() throws {
        let inst = try GateTestInstallation()
        let backup: DatabaseBackup
        do {
            let gate = try inst.open()
            _ = try gate.seedDemoDataSet()
            backup = try DatabaseBackup.write(gate.database, to: inst.dir.appendingPathComponent("b.sqlite").path, overwrite: false)
            _ = try gate.check(CheckRequest(subject: "RSK-2022-000063", partner: "jobcenter", purpose: "job-placement",
                                            fields: ["name.family"]), actor: Actor(id: "after-backup"))
        }
        let (real, link) = try Self.linked(inst)

        try inst.waitUntilClosed()
        let restored = try DatabaseRestore.run(backup: backup.path, database: link)

        #expect(restored.auditEntries == backup.auditEntries)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == real, "the link is still a link")
        let database = try AppDatabase.open(path: real)
        #expect(try AuditLogStore(writer: database.writer).size() == backup.auditEntries)
        let kept = try #require(restored.replacedFolder)
        #expect(try FileManager.default.contentsOfDirectory(atPath: kept).contains("consentgate.sqlite"))
    }
}
