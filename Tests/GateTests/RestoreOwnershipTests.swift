import Foundation
import Testing
@testable import Gate

/// `restore` is typically run by an administrator as root (`sudo consentgate restore …`) while `serve` runs as a
/// service account. The restored file was root's, so the service could no longer write its own database. The restored
/// database now takes the owner and group of the database it replaces, as SQLite itself gives its `-wal` and `-shm`
/// files the database's owner; without a database to replace it is the caller's. The mode is `0640` either way.
@Suite struct RestoreOwnershipTests {
    static func attributes(_ path: String) throws -> (uid: UInt32, gid: UInt32, mode: UInt32) {
        var info = stat()
        guard stat(path, &info) == 0 else { throw CocoaError(.fileNoSuchFile) }
        return (info.st_uid, info.st_gid, info.st_mode & 0o7777)
    }

    @Test(.enabled(if: geteuid() == 0, "giving a file to another account needs root"))
    func theRestoredDatabaseKeepsTheReplacedOnesOwner() throws {
        let inst = try GateTestInstallation()
        let backup: DatabaseBackup
        do {
            let gate = try inst.open()
            backup = try DatabaseBackup.write(gate.database, to: inst.dir.appendingPathComponent("b.sqlite").path, overwrite: false)
        }
        try inst.waitUntilClosed()
        let db = inst.databasePath
        // The database belongs to another account (the service's), as in an installation run by one.
        #expect(chown(db, 4321, 4322) == 0)

        _ = try DatabaseRestore.run(backup: backup.path, database: db)

        let after = try Self.attributes(db)
        #expect(after.uid == 4321 && after.gid == 4322)
        #expect(after.mode == 0o640)
    }

    @Test func withNothingToReplaceItIsTheCallers() throws {
        let inst = try GateTestInstallation()
        let backup: DatabaseBackup
        do {
            let gate = try inst.open()
            backup = try DatabaseBackup.write(gate.database, to: inst.dir.appendingPathComponent("b.sqlite").path, overwrite: false)
        }
        let fresh = inst.dir.appendingPathComponent("new/consentgate.sqlite").path

        _ = try DatabaseRestore.run(backup: backup.path, database: fresh)

        let after = try Self.attributes(fresh)
        #expect(after.mode == 0o640)
        #expect(after.uid == geteuid())
    }
}
