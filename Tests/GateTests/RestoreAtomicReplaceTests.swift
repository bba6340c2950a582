import AuditLog
import Diagnostics
import Foundation
import GRDB
import Signing
import Testing
@testable import Gate

/// A restore killed part way (`kill -9`, a power loss) must never leave the database's name without a whole database:
/// the next command (a `serve` started by systemd) would create an empty installation with a new audit log there.
/// Before, the old database and its `-wal` were moved into the keep folder first and the copy given the name after, so
/// in between there was no database. Now the old file is kept by a hard link, its `-wal` written into it, its side files
/// moved, and the copy renamed over the name: at each step the name opens as the old or the restored database.
@Suite struct RestoreAtomicReplaceTests {
    /// The database's files as a restore killed now would leave them, copied to a folder of their own and opened there
    /// as the next command would open them (a `-wal` beside it is replayed): the number of audit log entries, after
    /// SQLite's own check passed. Throws when there is no database (an empty new file has no `audit_entry` table).
    static func entriesIfKilledNow(_ db: String, into folder: String) throws -> Int64 {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let copy = folder + "/consentgate.sqlite"
        for suffix in DatabaseRestore.companions where FileManager.default.fileExists(atPath: db + suffix) {
            try FileManager.default.copyItem(atPath: db + suffix, toPath: copy + suffix)
        }
        let queue = try DatabaseQueue(path: copy)
        defer { try? queue.close() }
        return try queue.read { db in
            #expect(try String.fetchAll(db, sql: "PRAGMA quick_check") == ["ok"])
            return try Int64.fetchOne(db, sql: "SELECT count(*) FROM audit_entry") ?? -1
        }
    }

    @Test func theNameIsAWholeDatabaseAfterEveryStep() throws {
        let inst = try GateTestInstallation()
        let (backup, after) = try DatabaseRestoreTests.backupThenMore(inst)
        #expect(FileManager.default.fileExists(atPath: inst.databasePath + "-wal"), "the later entries are in the -wal")
        var seen: [DatabaseRestore.Step: Int64] = [:]

        let restored = try DatabaseRestore.run(backup: backup.path, database: inst.databasePath, step: { step in
            seen[step] = try Self.entriesIfKilledNow(inst.databasePath, into: inst.dir.appendingPathComponent("killed-\(step)").path)
        })

        #expect(seen == [.keptByLink: after, .checkpointed: after, .sideFilesMoved: after, .placed: backup.auditEntries])
        #expect(restored.auditEntries == backup.auditEntries)
        // The kept old database is whole by itself: its -wal was written into it before it was moved.
        let kept = try #require(restored.replacedFolder)
        let keptAlone = inst.dir.appendingPathComponent("kept-file-only").path
        try FileManager.default.createDirectory(atPath: keptAlone, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: kept + "/consentgate.sqlite", toPath: keptAlone + "/consentgate.sqlite")
        let queue = try DatabaseQueue(path: keptAlone + "/consentgate.sqlite")
        #expect(try queue.read { try Int64.fetchOne($0, sql: "SELECT count(*) FROM audit_entry") } == after)
        try queue.close()
    }

    /// A restore that stops after any step before the copy has the name (here: an error thrown there) leaves the
    /// installation as it was: the same files, no keep folder, the database with all its entries.
    @Test(arguments: [DatabaseRestore.Step.keptByLink, .checkpointed, .sideFilesMoved])
    func aRestoreStoppedBeforeThePlaceChangesNothing(at failing: DatabaseRestore.Step) throws {
        struct Stop: Error {}
        let inst = try GateTestInstallation()
        let (backup, after) = try DatabaseRestoreTests.backupThenMore(inst)
        let folder = (inst.databasePath as NSString).deletingLastPathComponent
        let before = DatabaseRestoreTests.files(folder)

        #expect(throws: Stop.self) {
            try DatabaseRestore.run(backup: backup.path, database: inst.databasePath, step: { if $0 == failing { throw Stop() } })
        }

        #expect(DatabaseRestoreTests.files(folder) == before)
        let gate = try inst.open()
        #expect(try gate.auditLog.size() == after)
    }

    /// The backup could not be copied (a full disk): the message says the database is unchanged, as it is.
    @Test func aFailedCopySaysTheDatabaseIsUnchanged() throws {
        let inst = try GateTestInstallation()
        let (backup, after) = try DatabaseRestoreTests.backupThenMore(inst)
        let folder = (inst.databasePath as NSString).deletingLastPathComponent
        let before = DatabaseRestoreTests.files(folder)

        do {
            _ = try DatabaseRestore.run(backup: backup.path, database: inst.databasePath,
                                        copy: { _, temp in throw SigningError.io(path: temp, reason: SystemErrorText.failure("write", errno: ENOSPC)) },
                                        step: { _ in })
            Issue.record("restored although the copy failed")
        } catch let error as RestoreError {
            #expect(error.category == .storage)
            let en = error.message(in: .en), de = error.message(in: .de)
            #expect(en.hasPrefix("backup not put in the place of \(inst.databasePath): ") && en.hasSuffix("; the database is unchanged"))
            #expect(de.hasPrefix("Sicherung nicht an die Stelle von \(inst.databasePath) gebracht: ") && de.hasSuffix("; die Datenbank ist unverändert"))
        }

        #expect(DatabaseRestoreTests.files(folder) == before)
        #expect(try inst.open().auditLog.size() == after)
    }
}
