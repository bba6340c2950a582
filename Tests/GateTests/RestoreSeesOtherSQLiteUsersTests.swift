import ChildProcess
import Foundation
import Testing
@testable import Gate

/// A restore refuses while any other process has the database open through SQLite, also one that takes no in-use lock
/// (a `serve` of a release before the lock existed, the `sqlite3` shell): found in a review of upgrades, where the old
/// service went on writing its decisions into the replaced file. Here the other process is Python's `sqlite3` module.
@Suite struct RestoreSeesOtherSQLiteUsersTests {
    @Test func aRestoreWaitsForAConnectionWithoutTheInUseLock() throws {
        let inst = try GateTestInstallation()
        let (backup, _) = try DatabaseRestoreTests.backupThenMore(inst)
        let holder = try Spawn.start("/usr/bin/env", ["python3", "-c", """
            import sqlite3, sys, time
            c = sqlite3.connect(sys.argv[1])
            c.execute("SELECT count(*) FROM audit_entry").fetchall()
            print("open", flush=True)
            time.sleep(120)
            """, inst.databasePath])
        defer { holder.kill() }
        let said = holder.waitForStandardOutput(timeout: 30) { $0.contains("open") }
        try #require(said.contains("open"), "the other process opened the database")

        #expect(SQLiteSharedMemoryProbe.openElsewhere(database: inst.databasePath))
        #expect(throws: InstallationInUseError(database: inst.databasePath)) {
            try DatabaseRestore.run(backup: backup.path, database: inst.databasePath)
        }

        holder.kill()
        _ = try? holder.waitForExit(timeout: 30)
        #expect(!SQLiteSharedMemoryProbe.openElsewhere(database: inst.databasePath))
        _ = try DatabaseRestore.run(backup: backup.path, database: inst.databasePath)
    }
}
