import Foundation
import GRDB
import Signing
import TestFolders
import Testing
@testable import AuditLog

/// With several problems, `verify` reports the first one in checkpoint order: a bad signature before
/// anything after it (a later checkpoint, any entry). Pins the order for any future reordering of the checks.
@Suite("Checkpoint problems are reported in first-problem order")
struct SignatureOrderTests {
    /// This test's folders (removed with the suite instance after the test, also when it failed or threw).
    let tmp: TemporaryDirectory
    init() throws { tmp = try TemporaryDirectory("audit-tests") }

    /// 12 single appends (12 checkpoints), triggers dropped, and a raw connection to tamper with.
    func makeLog() throws -> (AuditLogStore, NoteSigner, DatabaseQueue) {
        let path = try tmp.folder().appendingPathComponent("log.sqlite").path
        let store = AuditLogStore(writer: try TestSupport.openDatabase(at: path))
        let signer = try TestSupport.signer()
        for n in 0..<12 { try store.append(TestSupport.disclosure(n), signer: signer) }
        try TestSupport.sqlite(path, "DROP TRIGGER audit_checkpoint_no_update; DROP TRIGGER audit_entry_no_update;")
        return (store, signer, try DatabaseQueue(path: path))
    }

    func forged(size: Int64) throws -> String {
        let attacker = try NoteSigner(name: TestSupport.origin, key: PrivateKey.generate())
        return try Checkpoint(origin: TestSupport.origin, size: size, rootHash: Array(repeating: 7, count: 32)).signedNote(signer: attacker)
    }

    func noSignature(_ size: Int64, _ signer: NoteSigner) -> AuditLogError {
        .badCheckpoint(size: size, problem: .noValidSignature(key: "\(TestSupport.origin)+\(Hex.encode(signer.verifier.keyID))"))
    }

    @Test("A bad signature at size 3 is reported before an unreadable checkpoint at 9 and a changed entry at 1")
    func signatureBeforeLaterProblems() throws {
        let (store, signer, raw) = try makeLog()
        let bad3 = try forged(size: 3)
        try raw.write { db in
            try db.execute(sql: "UPDATE audit_checkpoint SET note = ? WHERE tree_size = 3", arguments: [bad3])
            try db.execute(sql: "UPDATE audit_checkpoint SET note = 'garbage' WHERE tree_size = 9")
            try db.execute(sql: "UPDATE audit_entry SET entry = CAST('{}' AS BLOB) WHERE idx = 1")
        }
        #expect(throws: noSignature(3, signer)) { try store.verify(key: signer.verifier) }
    }

    @Test("A wrong stored size at 5 is reported before a bad signature at 8; an unreadable note at 2 before both")
    func earlierFormatProblemsFirst() throws {
        let (store, signer, raw) = try makeLog()
        let note6 = try #require(try raw.read { db in try String.fetchOne(db, sql: "SELECT note FROM audit_checkpoint WHERE tree_size = 6") })
        let bad8 = try forged(size: 8)
        try raw.write { db in
            try db.execute(sql: "UPDATE audit_checkpoint SET note = ? WHERE tree_size = 5", arguments: [note6])
            try db.execute(sql: "UPDATE audit_checkpoint SET note = ? WHERE tree_size = 8", arguments: [bad8])
        }
        #expect(throws: AuditLogError.badCheckpoint(size: 5, problem: .storedUnderWrongSize(stored: 5, signed: 6))) {
            try store.verify(key: signer.verifier)
        }
        try raw.write { db in try db.execute(sql: "UPDATE audit_checkpoint SET note = 'garbage' WHERE tree_size = 2") }
        do {
            _ = try store.verify(key: signer.verifier)
            Issue.record("verify passed")
        } catch let error as AuditLogError {
            guard case .badCheckpoint(let size, .unreadable) = error else { Issue.record("\(error)"); return }
            #expect(size == 2)
            // Said in each language, the parser's reason too (the German message carried English words).
            #expect(error.message(in: .de).hasPrefix("Checkpoint ungültig: Checkpoint der Größe 2: unlesbar (gespeicherter Checkpoint 2: "), "\(error.message(in: .de))")
            #expect(error.message(in: .en).hasPrefix("invalid checkpoint: checkpoint of size 2: unreadable (stored checkpoint 2: "), "\(error.message(in: .en))")
            #expect(!error.message(in: .de).contains("LocalizedText"))
        }
    }

    @Test("A bad signature at 4 and a wrong stored size at 4 itself: the signature is reported (checked first, as before)")
    func sameCheckpointSignatureFirst() throws {
        let (store, signer, raw) = try makeLog()
        let bad = try forged(size: 5)
        try raw.write { db in try db.execute(sql: "UPDATE audit_checkpoint SET note = ? WHERE tree_size = 4", arguments: [bad]) }
        #expect(throws: noSignature(5, signer)) { try store.verify(key: signer.verifier) }
    }
}
