import Foundation
import GRDB
import TestFolders
import Testing
@testable import AuditLog

/// `AuditLogStore.append(_:signer:now:in:)`: entries appended inside a caller's transaction exist only if
/// that transaction commits; together with the caller's own rows.
@Suite("Appending inside the caller's transaction")
struct TransactionAppendTests {
    /// This test's folders (removed with the suite instance after the test, also when it failed or threw).
    let tmp: TemporaryDirectory
    init() throws { tmp = try TemporaryDirectory("audit-tests") }

    func setup() throws -> (DatabasePool, AuditLogStore, NoteSigner) {
        let dir = try tmp.folder()
        let pool = try TestSupport.openDatabase(at: dir.appendingPathComponent("t.sqlite").path)
        try pool.write { db in try db.execute(sql: "CREATE TABLE consent (id TEXT PRIMARY KEY)") }
        return (pool, AuditLogStore(writer: pool), try TestSupport.signer())
    }

    func counts(_ pool: DatabasePool) throws -> (consents: Int, entries: Int, checkpoints: Int) {
        try pool.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM consent")!, try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_entry")!,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_checkpoint")!)
        }
    }

    @Test("A rolled-back transaction leaves no entry, no checkpoint and the old frontier")
    func rollback() throws {
        let (pool, store, signer) = try setup()
        try store.append(try TestSupport.disclosure(0), signer: signer)
        let before = try store.latestCheckpoint()
        struct Abort: Error {}
        #expect(throws: Abort.self) {
            try pool.write { db in
                try db.execute(sql: "INSERT INTO consent (id) VALUES ('c-1')")
                let idx = try store.append([try TestSupport.disclosure(1), try TestSupport.disclosure(2)], signer: signer, in: db)
                #expect(idx == [1, 2])
                throw Abort()
            }
        }
        #expect(try counts(pool) == (0, 1, 1))
        #expect(try store.size() == 1)
        #expect(try store.latestCheckpoint() == before)
        #expect(try store.verify(key: signer.verifier).size == 1)
        // The log goes on from the old state.
        #expect(try store.append(try TestSupport.disclosure(3), signer: signer) == 1)
        #expect(try store.verify(key: signer.verifier).size == 2)
    }

    @Test("A committed transaction holds the caller's row, the entries and one checkpoint; the log verifies")
    func commit() throws {
        let (pool, store, signer) = try setup()
        let entries = [try TestSupport.disclosure(0), try TestSupport.disclosure(1)]
        let idx = try pool.write { db -> [Int64] in
            try db.execute(sql: "INSERT INTO consent (id) VALUES ('c-1')")
            return try store.append(entries, signer: signer, in: db)
        }
        #expect(idx == [0, 1])
        #expect(try counts(pool) == (1, 2, 1))
        #expect(try store.entry(index: 1).entry == entries[1])
        let report = try store.verify(key: signer.verifier)
        #expect(report.size == 2 && report.checkpoints == 1)
        // Pre-encoded entries the same way.
        let more = try pool.write { db in try store.append(encoded: [EncodedAuditEntry(try TestSupport.disclosure(2))], signer: signer, in: db) }
        #expect(more == [2])
        #expect(try store.verify(key: signer.verifier).checkpoints == 2)
    }

    @Test("Without an open transaction append(in:) refuses (storage error), writing nothing")
    func needsTransaction() throws {
        let (pool, store, signer) = try setup()
        #expect(throws: AuditLogError.self) {
            try pool.writeWithoutTransaction { db in _ = try store.append([try TestSupport.disclosure(0)], signer: signer, in: db) }
        }
        #expect(try store.size() == 0)
    }
}
