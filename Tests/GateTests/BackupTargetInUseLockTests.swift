import Foundation
import Testing
@testable import Gate

/// The in-use lock file `<database>.inuse` (`InstallationUse`) is one of the files beside the database that a backup
/// must never replace: `--out data/consentgate.sqlite.inuse --force` renamed the copy over it, so `serve` kept its shared
/// lock on the old, now nameless file, and a restore then took the exclusive lock on the new one and replaced the
/// database under the running `serve`.
@Suite struct BackupTargetInUseLockTests {
    @Test func theInUseLockFileIsNeverTheTarget() throws {
        let inst = try GateTestInstallation()
        let gate = try inst.open()
        let db = inst.databasePath
        let target = db + ".inuse"
        #expect(FileManager.default.fileExists(atPath: target), "opening the database made its lock file")
        let before = try FileManager.default.attributesOfItem(atPath: target)[.systemFileNumber] as? Int

        #expect(throws: BackupError.targetIsDatabase(path: target, database: db)) {
            try DatabaseBackup.write(gate.database, to: target, overwrite: true)
        }

        // The lock file is the same file, so the open database still keeps a restore out.
        #expect(try FileManager.default.attributesOfItem(atPath: target)[.systemFileNumber] as? Int == before)
        let backup = try DatabaseBackup.write(gate.database, to: inst.dir.appendingPathComponent("b.sqlite").path, overwrite: false)
        #expect(throws: InstallationInUseError(database: db)) {
            try DatabaseRestore.run(backup: backup.path, database: db)
        }
    }
}
