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
        let pageSize = try database.writer.read { db in try Int.fetchOne(db, sql: "PRAGMA page_size") }
        #expect(pageSize == AppDatabase.pageSize, "a new file gets 16 KiB pages")
    }

    /// An existing file keeps the page size it was created with (SQLite cannot change it in WAL mode).
    @Test func anExistingFileKeepsItsPageSize() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        try FileManager.default.createDirectory(atPath: (inst.databasePath as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        let old = try DatabaseQueue(path: inst.databasePath)
        try old.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA page_size = 4096; PRAGMA journal_mode = WAL; CREATE TABLE before_upgrade (x)")
        }
        try old.close()
        let database = try AppDatabase.open(path: inst.databasePath)
        #expect(try database.writer.read { db in try Int.fetchOne(db, sql: "PRAGMA page_size") } == 4096)
        #expect(try database.writer.read { db in try db.tableExists("audit_entry") })
    }
}
