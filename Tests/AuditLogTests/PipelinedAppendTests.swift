import Foundation
import GRDB
import TestFolders
import Testing
@testable import AuditLog

/// `AuditLogStore.appendBatches`: a stream of batches must end up exactly as one `append` per batch
/// (same rows, same checkpoint sizes, same roots), report each batch once, in order, with its indices,
/// leave the connection's `synchronous` setting as it was, and the log must verify.
@Suite("Pipelined appends")
struct PipelinedAppendTests {
    /// This test's folders (removed with the suite instance after the test, also when it failed or threw).
    let tmp: TemporaryDirectory
    init() throws { tmp = try TemporaryDirectory("audit-tests") }

    func batches(_ sizes: [Int]) throws -> [[AuditEntry]] {
        var n = 0
        return try sizes.map { size in
            defer { n += size }
            return try (n..<n + size).map { try TestSupport.disclosure($0, partner: $0 % 2 == 0 ? "jobcenter" : "schulamt") }
        }
    }

    func rows(_ store: AuditLogStore) throws -> [Row] {
        try store.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT idx, entry, leaf_hash, kind, time, actor, municipality, subject, partner, purpose, released FROM audit_entry ORDER BY idx")
        }
    }

    func checkpointSizes(_ store: AuditLogStore) throws -> [Int64] {
        try store.writer.read { db in try Int64.fetchAll(db, sql: "SELECT tree_size FROM audit_checkpoint ORDER BY tree_size") }
    }

    /// The write connection's `PRAGMA synchronous`.
    func synchronous(_ store: AuditLogStore) throws -> Int? {
        try store.writer.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
    }

    @Test("Same log as one append per batch; each batch reported once, in order; verify passes",
          arguments: [[1], [3, 0, 5], [600, 1, 700, 2]])
    func sameAsAppend(sizes: [Int]) throws {
        let dir = try tmp.folder()
        let plain = AuditLogStore(writer: try TestSupport.openDatabase(at: dir.appendingPathComponent("plain.sqlite").path))
        let piped = AuditLogStore(writer: try TestSupport.openDatabase(at: dir.appendingPathComponent("piped.sqlite").path))
        let signer = try TestSupport.signer()
        let all = try batches(sizes)
        var expected: [[Int64]] = []
        for b in all { expected.append(try plain.append(b, signer: signer)) }
        let syncBefore = try synchronous(piped)
        var reported: [[Int64]] = []
        try piped.appendBatches(all, signer: signer) { reported.append($0) }
        #expect(reported == expected)
        #expect(reported.map(\.count) == sizes)
        #expect(try rows(piped) == rows(plain))
        #expect(try checkpointSizes(piped) == checkpointSizes(plain))
        #expect(try piped.verify(key: signer.verifier).rootHash == plain.verify(key: signer.verifier).rootHash)
        // The write connection is back at its own setting for everyone else.
        #expect(try synchronous(piped) == syncBefore && synchronous(plain) == syncBefore)
    }

    @Test("Pre-encoded batches give the same log as entries")
    func encoded() throws {
        let dir = try tmp.folder()
        let a = AuditLogStore(writer: try TestSupport.openDatabase(at: dir.appendingPathComponent("a.sqlite").path))
        let b = AuditLogStore(writer: try TestSupport.openDatabase(at: dir.appendingPathComponent("b.sqlite").path))
        let signer = try TestSupport.signer()
        let all = try batches([4, 9, 2])
        var ra: [[Int64]] = [], rb: [[Int64]] = []
        try a.appendBatches(all, signer: signer) { ra.append($0) }
        try b.appendBatches(encoded: all.map { $0.map(EncodedAuditEntry.init) }, signer: signer) { rb.append($0) }
        #expect(ra == rb && ra.count == 3)
        #expect(try rows(a) == rows(b))
        #expect(try b.verify(key: signer.verifier).size == 15)
    }

    @Test("An error from the durable callback stops the stream; reported batches are in the log and it verifies")
    func callbackError() throws {
        struct Stop: Error {}
        let dir = try tmp.folder()
        let store = AuditLogStore(writer: try TestSupport.openDatabase(at: dir.appendingPathComponent("s.sqlite").path))
        let signer = try TestSupport.signer()
        var reported = 0
        #expect(throws: Stop.self) {
            try store.appendBatches(try batches([2, 2, 2, 2]), signer: signer) { _ in
                reported += 1
                if reported == 2 { throw Stop() }
            }
        }
        #expect(reported == 2)
        let size = try store.verify(key: signer.verifier).size
        // The batch after the failing report may have been committed already (never reported); none later.
        #expect(size == 4 || size == 6)
        #expect(try synchronous(store) == synchronous(AuditLogStore(writer: try TestSupport.openDatabase(at: dir.appendingPathComponent("o.sqlite").path))))
    }

    @Test("Without WAL (rollback journal) batches commit with the connection's own durability")
    func rollbackJournal() throws {
        let dir = try tmp.folder()
        let queue = try DatabaseQueue(path: dir.appendingPathComponent("q.sqlite").path)
        var migrator = DatabaseMigrator()
        AuditLogSchema.registerMigrations(in: &migrator)
        try migrator.migrate(queue)
        let store = AuditLogStore(writer: queue)
        let signer = try TestSupport.signer()
        var reported: [[Int64]] = []
        try store.appendBatches(try batches([3, 3]), signer: signer) { reported.append($0) }
        #expect(reported == [[0, 1, 2], [3, 4, 5]])
        #expect(try store.verify(key: signer.verifier).checkpoints == 2)
    }
}
