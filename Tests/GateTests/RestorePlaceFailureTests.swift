import AuditLog
import Diagnostics
import Foundation
import Signing
import Testing
@testable import Gate

/// The last step of a restore, giving the copy the database's name (`fsync`, `link`), failed after the database had
/// been moved into the keep folder: the copy was deleted and the installation was left without a database at its place,
/// so the next command (a `serve` started by systemd) would have created an empty one with a new audit log. Now what
/// was moved is put back and the folder made for it removed: the installation is as it was.
@Suite struct RestorePlaceFailureTests {
    @Test func aFailedPlacePutsTheDatabaseBack() throws {
        let inst = try GateTestInstallation()
        let (backup, after) = try DatabaseRestoreTests.backupThenMore(inst)
        let db = inst.databasePath
        let folder = (db as NSString).deletingLastPathComponent
        let before = Set(try FileManager.default.contentsOfDirectory(atPath: folder))
        let failing: (String, String) throws -> Void = { _, path in
            throw SigningError.io(path: path, reason: SystemErrorText.failure("fsync", errno: EIO))
        }

        do {
            _ = try DatabaseRestore.run(backup: backup.path, database: db, place: failing, step: { _ in })
            Issue.record("restored although the copy could not be placed")
        } catch let error as RestoreError {
            guard case let .notPlaced(database, _) = error else { Issue.record("\(error)"); return }
            #expect(database == db, "nothing is left in a keep folder")
            #expect(error.category == .storage)
            #expect(error.message(in: .en).hasSuffix("; the database is unchanged"))
            #expect(error.message(in: .de).hasSuffix("; die Datenbank ist unverändert"))
        }

        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: folder)) == before, "as it was: no keep folder, no copy")
        let database = try AppDatabase.open(path: db)
        #expect(try AuditLogStore(writer: database.writer).size() == after, "the database with its -wal is back")
    }
}
