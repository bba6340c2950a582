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

/// Reads held open by long work (a verification holds four connections) leave connections for short reads: with 16
/// reads in progress, a 17th still gets a connection at once (GRDB's default pool would make it wait for one of them).
@Suite struct AppDatabaseReaderCountTests {
    @Test func aShortReadIsServedWhileSixteenReadsAreOpen() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let database = try AppDatabase.open(path: inst.databasePath)
        let pool = database.writer
        let held = DispatchSemaphore(value: 0), open = DispatchSemaphore(value: 0)
        let holders = 16
        #expect(AppDatabase.maximumReaderCount > holders)
        for i in 0..<holders {
            // Serial queues: each a thread of its own, whatever libdispatch's limit for concurrent ones.
            DispatchQueue(label: "reader-\(i)").async {
                try? pool.read { _ in open.signal(); held.wait() }
            }
        }
        let deadline = DispatchTime.now() + 30
        let opened = (0..<holders).filter { _ in open.wait(timeout: deadline) == .success }.count
        #expect(opened == holders, "\(holders) reads open at once")
        let answered = DispatchSemaphore(value: 0)
        DispatchQueue(label: "short-read").async {
            _ = try? pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_entry") }
            answered.signal()
        }
        let served = answered.wait(timeout: .now() + 10) == .success
        for _ in 0..<holders { held.signal() }
        #expect(served, "a short read waited for one of \(holders) open reads")
        if !served { _ = answered.wait(timeout: .now() + 60) }
    }
}
