import AuditLog
import Foundation
import GRDB
import Testing
@testable import Gate

/// A backup made by a newer ConsentGate (its `grdb_migrations` names migrations this version does not know) passed the
/// restore's check, the database was moved aside, and this version then worked on a schema it does not know (GRDB
/// ignores unknown migrations). It is refused before anything moves (exit 3), naming the unknown migrations.
@Suite struct RestoreNewerSchemaTests {
    @Test func aBackupFromANewerVersionIsRefusedBeforeAnythingMoves() throws {
        let inst = try GateTestInstallation()
        let backupPath = inst.dir.appendingPathComponent("newer.sqlite").path
        do {
            let gate = try inst.open()
            _ = try DatabaseBackup.write(gate.database, to: backupPath, overwrite: false)
        }
        let newer = try DatabaseQueue(path: backupPath)
        try newer.write { try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-a-newer-version')") }
        try newer.close()
        let folder = (inst.databasePath as NSString).deletingLastPathComponent
        let before = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()

        do {
            _ = try DatabaseRestore.run(backup: backupPath, database: inst.databasePath)
            Issue.record("a backup of a newer schema was restored")
        } catch let error as RestoreError {
            guard case let .notABackup(path, reason) = error else { Issue.record("\(error)"); return }
            #expect(path == backupPath)
            #expect(error.category == .invalidInput)
            #expect(reason.en.contains("newer version of ConsentGate") && reason.en.contains("v99-from-a-newer-version"))
            #expect(reason.de.contains("neueren ConsentGate-Version") && reason.de.contains("v99-from-a-newer-version"))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == before)
    }
}
