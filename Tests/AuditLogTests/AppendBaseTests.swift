import Foundation
import GRDB
import Signing
import TestFolders
import Testing
@testable import AuditLog

/// An append signs a new checkpoint only over the tree the newest signed checkpoint covers. Someone with write access
/// to the database file but not the audit key inserted an entry with its true leaf hash and moved the stored frontier
/// over it (no trigger stands in the way of either); the next routine append signed a checkpoint over that tree, and
/// `verify` passed again (audit review, session 40, H1). Now that append is refused and appends nothing, and `verify`
/// still names the forgery.
@Suite("An append extends only the tree the newest checkpoint signed")
struct AppendBaseTests {
    let tmp: TemporaryDirectory
    init() throws { tmp = try TemporaryDirectory("append-base-tests") }

    struct Log {
        let path: String
        let store: AuditLogStore
        let signer: NoteSigner
    }

    /// Five single appends: 5 entries, 5 checkpoints.
    func makeLog() throws -> Log {
        let path = try tmp.folder().appendingPathComponent("log.sqlite").path
        let store = AuditLogStore(writer: try TestSupport.openDatabase(at: path))
        let signer = try TestSupport.signer()
        for n in 0..<5 { try store.append(TestSupport.disclosure(n), signer: signer) }
        return Log(path: path, store: store, signer: signer)
    }

    /// The forger's step, with a connection of their own and no key: an entry of their making at the end of the log,
    /// its leaf hash and the frontier computed as the log does.
    func forgeEntry(_ log: Log) throws {
        let db = try DatabaseQueue(path: log.path)
        try db.write { db in
            let forged = PreparedEntry.prepare([try TestSupport.disclosure(99, partner: "jobcenter", subject: "RSK-2026-000099")])[0]
            var range = DigestRange(try AuditLogStore.frontier(db))
            try EntryInserter(db).insert(index: range.size, entry: forged.encoded, leafHash: forged.leafHash)
            range.append(forged.leafHash, hasher: InlineMerkleHasher())
            try db.execute(sql: "UPDATE audit_frontier SET size = ?, hashes = ? WHERE id = 1",
                           arguments: [range.size, Data(range.compactRange.serialized)])
        }
    }

    func counts(_ log: Log) throws -> (entries: Int, checkpoints: Int) {
        try DatabaseQueue(path: log.path).read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_entry")!, try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_checkpoint")!)
        }
    }

    enum Forgery: String, CaseIterable, Sendable {
        /// An entry appended by hand, the frontier moved over it.
        case entryAppended
        /// The same, with a checkpoint row for the new tree signed by the forger's own key under the log's name.
        case entryWithForgedCheckpoint
        /// The newest checkpoint deleted (as when entries after an earlier one were rewritten).
        case newestCheckpointDeleted
    }

    @Test(arguments: Forgery.allCases)
    func theNextAppendIsRefusedAndVerifyStillFails(_ forgery: Forgery) throws {
        let log = try makeLog()
        let expected: AuditLogError
        switch forgery {
        case .entryAppended:
            try forgeEntry(log)
            expected = .tampered(.unsignedHead(frontierSize: 6, signedSize: 5))
        case .entryWithForgedCheckpoint:
            try forgeEntry(log)
            let forger = try TestSupport.signer()
            let root = try DatabaseQueue(path: log.path).read { db in
                DigestRange(try AuditLogStore.frontier(db)).root(hasher: InlineMerkleHasher()).bytes
            }
            let note = try Checkpoint(origin: TestSupport.origin, size: 6, rootHash: root).signedNote(signer: forger)
            try DatabaseQueue(path: log.path).write { db in
                try db.execute(sql: "INSERT INTO audit_checkpoint (tree_size, note, created_at) VALUES (6, ?, '2026-11-25T10:00:00Z')", arguments: [note])
            }
            expected = .tampered(.unverifiableHead(size: 6, problem: .signedByOtherKey(
                given: "\(TestSupport.origin)+\(Hex.encode(log.signer.verifier.keyID))",
                found: "\(TestSupport.origin)+\(Hex.encode(forger.verifier.keyID))")))
        case .newestCheckpointDeleted:
            try TestSupport.sqlite(log.path, "DROP TRIGGER audit_checkpoint_no_delete; DELETE FROM audit_checkpoint WHERE tree_size = 5;")
            expected = .tampered(.unsignedHead(frontierSize: 5, signedSize: 4))
        }
        let before = try counts(log)
        #expect(throws: expected) { try log.store.append(TestSupport.disclosure(5), signer: log.signer) }
        #expect(try counts(log) == before, "nothing appended, no checkpoint signed")
        #expect(throws: AuditLogError.self, "the forgery is still found") { try log.store.verify(key: log.signer.verifier) }
    }

    /// A newest checkpoint that cannot even be read (its note replaced by other text) is the same integrity finding as
    /// a badly signed one (exit 4), not bad input (exit 3 before), and nothing is appended.
    /// (The first line stays the log's name: another name is `originChanged`, a log opened under the wrong name.)
    @Test(arguments: ["\nnot a size\n", "\n5\n\n— x\n", "\n5\nAAAA\n\n— x\n"])
    func anUnreadableNewestCheckpointIsAnIntegrityFinding(_ rest: String) throws {
        let log = try makeLog()
        let garbage = TestSupport.origin + rest
        try DatabaseQueue(path: log.path).write { db in
            try db.execute(sql: "DROP TRIGGER audit_checkpoint_no_update")
            try db.execute(sql: "UPDATE audit_checkpoint SET note = ? WHERE tree_size = 5", arguments: [garbage])
        }
        let before = try counts(log)
        let error = #expect(throws: AuditLogError.self) { try log.store.append(TestSupport.disclosure(5), signer: log.signer) }
        guard case .tampered(.unverifiableHead(nil, .unreadable))? = error else {
            Issue.record("expected an unreadable newest checkpoint, got \(String(describing: error))"); return
        }
        #expect(error?.category == .integrity)
        #expect(try counts(log) == before, "nothing appended")
    }

    /// The message says what happened and that nothing was appended, in both languages.
    @Test func theRefusalSaysNothingWasAppended() throws {
        let log = try makeLog()
        try forgeEntry(log)
        let error = #expect(throws: AuditLogError.self) { try log.store.append(TestSupport.disclosure(5), signer: log.signer) }
        #expect(error?.category == .integrity)
        #expect(error?.message(in: .en).contains("the stored tree (6 entries) is not the tree the newest signed checkpoint (5 entries) covers") == true)
        #expect(error?.message(in: .en).contains("Nothing was appended") == true)
        #expect(error?.message(in: .de).contains("der gespeicherte Baum (6 Einträge) ist nicht der, den der neueste signierte Checkpoint (5 Einträge) abdeckt") == true)
    }

    /// Two writers on one file (two processes: the service and a command) extend each other's checkpoints; a writer
    /// whose last note is not the newest checks the newest one's signature.
    @Test func writersTakeTurnsOnOneFile() throws {
        let log = try makeLog()
        let other = AuditLogStore(writer: try TestSupport.openDatabase(at: log.path))
        for n in 5..<11 {
            let store = n.isMultiple(of: 2) ? log.store : other
            #expect(try store.append(TestSupport.disclosure(n), signer: log.signer) == Int64(n))
        }
        #expect(try log.store.verify(key: log.signer.verifier).size == 11)
    }

    /// An empty log's first append needs no checkpoint; entries without any checkpoint are refused.
    @Test func entriesWithoutAnyCheckpointAreNotExtended() throws {
        let path = try tmp.folder().appendingPathComponent("empty.sqlite").path
        let store = AuditLogStore(writer: try TestSupport.openDatabase(at: path))
        let log = Log(path: path, store: store, signer: try TestSupport.signer())
        try forgeEntry(log)
        #expect(throws: AuditLogError.tampered(.unsignedHead(frontierSize: 1, signedSize: 0))) {
            try store.append(TestSupport.disclosure(0), signer: log.signer)
        }
    }
}
