import Foundation
import GRDB
import Testing
@testable import Gate

/// The installation database commits durably: WAL with `synchronous = FULL` on the writer (GRDB's pool
/// would otherwise leave its writer at NORMAL), foreign keys on.
@Suite struct AppDatabaseDurabilityTests {
    @Test func theWriterCommitsWithFullSynchronousInWALMode() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let database = try AppDatabase.open(path: inst.databasePath)
        let (journal, synchronous, foreignKeys) = try database.writer.writeWithoutTransaction { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA synchronous"),
             try Int.fetchOne(db, sql: "PRAGMA foreign_keys"))
        }
        #expect(journal?.lowercased() == "wal")
        #expect(synchronous == 2, "FULL")
        #expect(foreignKeys == 1)
    }
}
