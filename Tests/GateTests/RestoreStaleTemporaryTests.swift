import Foundation
import Testing
@testable import Gate

/// A restore killed while it copied the backup left its hidden temporary copy (`.consentgate.sqlite.tmp-…`, the whole
/// backup's personal data) beside the database, and nothing ever removed it. Only a restore writes such a file there,
/// and only while it holds the in-use lock exclusively; so the next restore, holding that lock, removes them. Hidden
/// files of other names, and a backup's copy with its lock file, stay.
@Suite struct RestoreStaleTemporaryTests {
    @Test func theNextRestoreRemovesAKilledRestoresCopy() throws {
        let inst = try GateTestInstallation()
        let backup: DatabaseBackup
        do {
            let gate = try inst.open()
            backup = try DatabaseBackup.write(gate.database, to: inst.dir.appendingPathComponent("b.sqlite").path, overwrite: false)
        }
        let folder = (inst.databasePath as NSString).deletingLastPathComponent
        let stale = [".consentgate.sqlite.tmp-0123456789ab", ".consentgate.sqlite.tmp-0123456789ab-journal"]
        let others = [".other.sqlite.tmp-0123456789ab", ".consentgate.sqlite.tmp-ffeeddccbbaa", ".consentgate.sqlite.tmp-ffeeddccbbaa.lock"]
        for name in stale + others { try Data("x".utf8).write(to: URL(fileURLWithPath: folder + "/" + name)) }

        try inst.waitUntilClosed()
        _ = try DatabaseRestore.run(backup: backup.path, database: inst.databasePath)

        let names = Set(try FileManager.default.contentsOfDirectory(atPath: folder))
        #expect(names.isDisjoint(with: stale))
        #expect(names.isSuperset(of: others))
    }
}
