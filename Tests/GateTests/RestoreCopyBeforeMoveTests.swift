import AuditLog
import Foundation
import PolicyEngine
import Testing
@testable import Gate

/// The restore moved the current database aside first and copied the backup afterwards: when the copy failed (a full
/// disk, a backup that went away) the installation was left without a database at its place, and the next command
/// would have created an empty one. And the copy was a plain file copy of the backup's main file, missing what a
/// `-wal` beside the backup still held (a backup opened since, e.g. by `audit verify --db BACKUP`). The backup is now
/// copied through SQLite from the snapshot that was checked, into the database's folder, before anything is moved.
@Suite struct RestoreCopyBeforeMoveTests {
    static func decision(_ gate: Gate) throws {
        _ = try gate.check(CheckRequest(subject: "RSK-2022-000063", partner: "jobcenter", purpose: "job-placement",
                                        fields: ["name.family"]), actor: Actor(id: "restore-test"))
    }

    /// The mistaken `--from data/consentgate.sqlite`: the "backup" is moved away with the database before it is copied.
    @Test func restoringTheDatabaseFromItselfLeavesItWhole() throws {
        let inst = try GateTestInstallation()
        let entries: Int64
        do {
            let gate = try inst.open()
            _ = try gate.seedDemoDataSet()
            try Self.decision(gate)
            entries = try gate.auditLog.size()
        }
        let db = inst.databasePath

        try inst.waitUntilClosed()
        _ = try? DatabaseRestore.run(backup: db, database: db)

        #expect(FileManager.default.fileExists(atPath: db), "a database is at its place")
        let database = try AppDatabase.open(path: db)
        #expect(try AuditLogStore(writer: database.writer).size() == entries)
    }

    /// A backup whose latest entries are still in its own `-wal` (opened by ConsentGate since it was written).
    @Test func whatTheBackupsWriteAheadLogHoldsIsRestored() throws {
        let inst = try GateTestInstallation()
        do {
            let gate = try inst.open()
            _ = try gate.seedDemoDataSet()
        }
        // The "backup" is another installation's database, open (so its -wal is not checkpointed away) with a newer entry.
        let other = try GateTestInstallation()
        let source = try other.open()
        _ = try source.seedDemoDataSet()
        try Self.decision(source)
        #expect(FileManager.default.fileExists(atPath: other.databasePath + "-wal"))
        let expected = try source.auditLog.size()

        try inst.waitUntilClosed()
        let restored = try DatabaseRestore.run(backup: other.databasePath, database: inst.databasePath)

        #expect(restored.auditEntries == expected)
        let gate = try inst.open()
        #expect(try gate.auditLog.size() == expected)
        _ = try gate.auditLog.verify(keys: gate.auditVerifierKeys())
    }
}
