import Foundation
import GRDB
import Signing
import TestFolders
import Testing
@testable import AuditLog

/// Tampering with the real database file (sqlite3 CLI and a raw GRDB connection, as an attacker with
/// file access would), each detected by `verify` naming the first entry that differs.
@Suite("Tamper detection on the database file")
struct TamperTests {
    /// This test's folders (removed with the suite instance after the test, also when it failed or threw).
    let tmp: TemporaryDirectory
    init() throws { tmp = try TemporaryDirectory("audit-tests") }

    struct Log {
        let dir: URL
        let path: String
        let store: AuditLogStore
        let signer: NoteSigner
    }

    /// 10 single appends (one checkpoint each) then a batch of 5: 15 entries, 11 checkpoints.
    func makeLog() throws -> Log {
        let dir = try tmp.folder()
        let path = dir.appendingPathComponent("log.sqlite").path
        let store = AuditLogStore(writer: try TestSupport.openDatabase(at: path))
        let signer = try TestSupport.signer()
        for n in 0..<10 { #expect(try store.append(TestSupport.disclosure(n), signer: signer) == Int64(n)) }
        #expect(try store.append((10..<15).map { try TestSupport.disclosure($0) }, signer: signer) == Array(10..<15))
        return Log(dir: dir, path: path, store: store, signer: signer)
    }

    /// What an attacker does first: drop the append-only triggers. Returns their SQL, for `restoreTriggers`.
    @discardableResult
    func dropTriggers(_ log: Log) throws -> [String] {
        let sql = try DatabaseQueue(path: log.path).read { db in
            try String.fetchAll(db, sql: "SELECT sql FROM sqlite_schema WHERE type = 'trigger' ORDER BY name")
        }
        try TestSupport.sqlite(log.path, """
            DROP TRIGGER audit_entry_no_update; DROP TRIGGER audit_entry_no_delete;
            DROP TRIGGER audit_checkpoint_no_update; DROP TRIGGER audit_checkpoint_no_delete;
            """)
        return sql
    }

    /// What a careful attacker does last: put the triggers back, exactly as they were.
    func restoreTriggers(_ log: Log, _ sql: [String]) throws {
        try DatabaseQueue(path: log.path).write { db in for s in sql { try db.execute(sql: s) } }
    }

    /// The ways `verify` can share its work between its two threads: all rows checked by the second thread,
    /// all by the reading thread, every other row by each, and the adaptive split it uses.
    static let splits: [VerifyWorkSplit] = [.fixed(0), .fixed(1), .fixed(0.5), .adaptive]

    func expectFinding(_ log: Log, _ finding: TamperFinding, mentions: String, split: VerifyWorkSplit = .adaptive,
                       sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try log.store.verify(keys: [log.signer.verifier], trustedCheckpoint: nil, split: split)
            Issue.record("verify passed on a tampered log", sourceLocation: sourceLocation)
        } catch let e as AuditLogError {
            #expect(e == .tampered(finding), sourceLocation: sourceLocation)
            #expect(e.category == .integrity, sourceLocation: sourceLocation)
            #expect(e.message(in: .en).contains(mentions), "\(e.message(in: .en))", sourceLocation: sourceLocation)
            #expect(e.message(in: .de).contains(mentions.replacingOccurrences(of: "entry", with: "Eintrag")), sourceLocation: sourceLocation)
        } catch {
            Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test("An untouched log verifies; the append-only triggers refuse UPDATE and DELETE")
    func intact() throws {
        let log = try makeLog()
        let report = try log.store.verify(key: log.signer.verifier)
        #expect(report.size == 15)
        #expect(report.checkpoints == 11)
        let (status, _, err) = try TestSupport.run("/usr/bin/sqlite3", [log.path, "DELETE FROM audit_entry WHERE idx = 3"])
        #expect(status != 0)
        #expect(err.contains("append-only"))
    }

    @Test("One changed byte in an entry is named")
    func changedByte() throws {
        let log = try makeLog()
        try dropTriggers(log)
        try TestSupport.sqlite(log.path, "UPDATE audit_entry SET entry = CAST(replace(CAST(entry AS TEXT), 'RSK-2026-5', 'RSK-2026-6') AS BLOB) WHERE idx = 5")
        expectFinding(log, .entryChanged(index: 5), mentions: "entry 5")
    }

    /// `verify` hashes some entries on the reading thread and some on the tree thread (one in three vs two
    /// in three, by position): a change is named wherever it falls, also a replaced stored leaf hash.
    @Test("A changed entry or a replaced stored leaf hash is named at any position", arguments: 0..<6)
    func changedAtEveryPosition(index: Int) throws {
        let log = try makeLog()
        try dropTriggers(log)
        try TestSupport.sqlite(log.path, "UPDATE audit_entry SET entry = CAST(replace(CAST(entry AS TEXT), 'school', 'SCHOOL') AS BLOB) WHERE idx = \(index)")
        expectFinding(log, .entryChanged(index: Int64(index)), mentions: "entry \(index)")
        let other = try makeLog()
        try dropTriggers(other)
        try TestSupport.sqlite(other.path, "UPDATE audit_entry SET leaf_hash = zeroblob(32) WHERE idx = \(index + 6)")
        expectFinding(other, .entryChanged(index: Int64(index + 6)), mentions: "entry \(index + 6)")
    }

    @Test("A changed entry whose leaf hash was also recomputed is caught by the signed checkpoint")
    func changedEntryAndLeafHash() throws {
        let log = try makeLog()
        try dropTriggers(log)
        let forged = try TestSupport.disclosure(99)
        let bytes = forged.canonicalBytes()
        let raw = try DatabaseQueue(path: log.path)
        try raw.write { db in
            try db.execute(sql: "UPDATE audit_entry SET entry = ?, leaf_hash = ? WHERE idx = 12",
                           arguments: [Data(bytes), Data(MerkleHasher().leafHash(bytes))])
        }
        // Entries 10…14 were one batch, so the first difference is narrowed to that checkpoint's range.
        expectFinding(log, .checkpointMismatch(firstIndex: 10, size: 15), mentions: "entry 10")
    }

    @Test("Deleting the last rows is named as the first missing entry")
    func deletedLastRows() throws {
        let log = try makeLog()
        try dropTriggers(log)
        try TestSupport.sqlite(log.path, "DELETE FROM audit_entry WHERE idx >= 12")
        expectFinding(log, .truncated(signedSize: 15, stored: 12), mentions: "entry 12")
    }

    @Test("Deleting the last rows together with their checkpoints and frontier is still caught by the frontier or the trusted checkpoint")
    func deletedRowsAndCheckpoints() throws {
        let log = try makeLog()
        let trusted = try #require(try log.store.latestCheckpoint())
        let triggers = try dropTriggers(log)
        try TestSupport.sqlite(log.path, "DELETE FROM audit_entry WHERE idx >= 9; DELETE FROM audit_checkpoint WHERE tree_size > 9")
        try restoreTriggers(log, triggers)
        expectFinding(log, .frontierMismatch(frontierSize: 15, stored: 9), mentions: "15")
        #expect(throws: AuditLogError.tampered(.rolledBack(trustedSize: 15, stored: 9))) {
            // With the frontier also rolled back, only the trusted checkpoint notices.
            let raw = try DatabaseQueue(path: log.path)
            var range = CompactRange()
            let h = MerkleHasher()
            for leaf in try log.store.leafHashes(size: 9) { range.append(leaf, hasher: h) }
            try raw.write { db in try db.execute(sql: "UPDATE audit_frontier SET size = 9, hashes = ?", arguments: [Data(range.serialized)]) }
            #expect(try log.store.verify(key: log.signer.verifier).size == 9)
            _ = try log.store.verify(key: log.signer.verifier, trustedCheckpoint: trusted)
        }
    }

    /// The newest checkpoint removed, entries and frontier untouched: those entries are no longer signed, and verify
    /// says which (found by mutation testing, session 35: the unsigned-tail check could be dropped with every test passing).
    @Test("Entries after the last checkpoint left are named as unsigned")
    func removedNewestCheckpoint() throws {
        let log = try makeLog()
        let triggers = try dropTriggers(log)
        try TestSupport.sqlite(log.path, "DELETE FROM audit_checkpoint WHERE tree_size = 15")
        try restoreTriggers(log, triggers)   // put back, so that only the missing checkpoint can give it away
        expectFinding(log, .unsigned(from: 10, to: 14), mentions: "10")
    }

    @Test("A row deleted from the middle is named")
    func deletedMiddleRow() throws {
        let log = try makeLog()
        try dropTriggers(log)
        try TestSupport.sqlite(log.path, "DELETE FROM audit_entry WHERE idx = 7")
        expectFinding(log, .entryMissing(index: 7, nextStored: 8), mentions: "entry 7")
    }

    @Test("Two entries swapped (reordered, each with its own leaf hash) are named at the first")
    func reordered() throws {
        let log = try makeLog()
        try dropTriggers(log)
        try TestSupport.sqlite(log.path, """
            UPDATE audit_entry SET idx = 1000 WHERE idx = 3; UPDATE audit_entry SET idx = 3 WHERE idx = 4;
            UPDATE audit_entry SET idx = 4 WHERE idx = 1000;
            """)
        expectFinding(log, .checkpointMismatch(firstIndex: 3, size: 4), mentions: "entry 3")
    }

    @Test("A replaced checkpoint (signed by another key, or with a changed root) is refused")
    func replacedCheckpoint() throws {
        let log = try makeLog()
        let triggers = try dropTriggers(log)
        let attacker = try NoteSigner(name: TestSupport.origin, key: PrivateKey.generate())
        let forged = try Checkpoint(origin: TestSupport.origin, size: 8, rootHash: Array(repeating: 1, count: 32)).signedNote(signer: attacker)
        let raw = try DatabaseQueue(path: log.path)
        try raw.write { db in try db.execute(sql: "UPDATE audit_checkpoint SET note = ? WHERE tree_size = 8", arguments: [forged]) }
        #expect(throws: AuditLogError.badCheckpoint(size: 8, problem: .noValidSignature(key: "\(TestSupport.origin)+\(Hex.encode(log.signer.verifier.keyID))"))) {
            try log.store.verify(key: log.signer.verifier)
        }
        // A genuine, validly signed note moved under another size is refused.
        let note9 = try #require(try raw.read { db in try String.fetchOne(db, sql: "SELECT note FROM audit_checkpoint WHERE tree_size = 9") })
        try raw.write { db in try db.execute(sql: "UPDATE audit_checkpoint SET note = ? WHERE tree_size = 8", arguments: [note9]) }
        #expect(throws: AuditLogError.badCheckpoint(size: 8, problem: .storedUnderWrongSize(stored: 8, signed: 9))) {
            try log.store.verify(key: log.signer.verifier)
        }
        // The genuine note with its root line edited no longer verifies.
        let note8 = try Checkpoint(origin: TestSupport.origin, size: 8, rootHash: MerkleTree.root(try log.store.leafHashes(size: 8)[...], hasher: MerkleHasher()))
            .signedNote(signer: log.signer)
        var lines = note8.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[2] = Data(Array(repeating: UInt8(2), count: 32)).base64EncodedString()
        try raw.write { db in try db.execute(sql: "UPDATE audit_checkpoint SET note = ? WHERE tree_size = 8", arguments: [lines.joined(separator: "\n")]) }
        #expect(throws: AuditLogError.self) { try log.store.verify(key: log.signer.verifier) }
        // Restoring a correctly signed note for size 8 (and the triggers) makes the log verify again.
        try raw.write { db in try db.execute(sql: "UPDATE audit_checkpoint SET note = ? WHERE tree_size = 8", arguments: [note8]) }
        #expect(throws: AuditLogError.tampered(.schemaChanged(object: "audit_checkpoint_no_delete", change: .missing))) {
            try log.store.verify(key: log.signer.verifier)
        }
        try restoreTriggers(log, triggers)
        #expect(try log.store.verify(key: log.signer.verifier).size == 15)
    }

    @Test("A log rewritten from scratch with the same key still verifies alone, but not against a trusted checkpoint")
    func rewritten() throws {
        let log = try makeLog()
        let trusted = try #require(try log.store.latestCheckpoint())
        let otherPath = log.dir.appendingPathComponent("rewritten.sqlite").path
        let other = AuditLogStore(writer: try TestSupport.openDatabase(at: otherPath))
        try other.append((0..<15).map { try TestSupport.disclosure($0 == 6 ? 60 : $0) }, signer: log.signer)
        try other.append(TestSupport.disclosure(15), signer: log.signer)
        #expect(try other.verify(key: log.signer.verifier).size == 16)
        #expect(throws: AuditLogError.tampered(.rewritten(trustedSize: 15))) {
            try other.verify(key: log.signer.verifier, trustedCheckpoint: trusted)
        }
        // The genuine log extends its own checkpoint after more appends.
        try log.store.append(TestSupport.disclosure(15), signer: log.signer)
        #expect(try log.store.verify(key: log.signer.verifier, trustedCheckpoint: trusted).trustedSize == 15)
    }

    @Test("A log larger than one verify chunk: intact it verifies; a change far into it is named exactly", arguments: splits)
    func manyChunks(split: VerifyWorkSplit) throws {
        let dir = try tmp.folder()
        let path = dir.appendingPathComponent("big.sqlite").path
        let store = AuditLogStore(writer: try TestSupport.openDatabase(at: path))
        let signer = try TestSupport.signer()
        for b in 0..<5 { try store.append((0..<1000).map { try TestSupport.disclosure(b * 1000 + $0) }, signer: signer) }
        #expect(try store.verify(keys: [signer.verifier], trustedCheckpoint: nil, split: split).size == 5000)
        let log = Log(dir: dir, path: path, store: store, signer: signer)
        try dropTriggers(log)
        try TestSupport.sqlite(path, "UPDATE audit_entry SET entry = CAST(replace(CAST(entry AS TEXT), 'RSK-2026-4321', 'RSK-2026-4322') AS BLOB) WHERE idx = 4321")
        expectFinding(log, .entryChanged(index: 4321), mentions: "entry 4321", split: split)
        // A column changed further on is named once the entry is restored, on whichever thread checked it.
        try TestSupport.sqlite(path, "UPDATE audit_entry SET entry = CAST(replace(CAST(entry AS TEXT), 'RSK-2026-4322', 'RSK-2026-4321') AS BLOB) WHERE idx = 4321")
        try TestSupport.sqlite(path, "UPDATE audit_entry SET subject = 'RSK-2026-0' WHERE idx IN (4444, 4097, 4999)")
        expectFinding(log, .indexColumnChanged(index: 4097, column: "subject"), mentions: "entry 4097", split: split)
    }

    /// The columns queries and reports select by, each changed on one row with intact bytes.
    static let columnEdits: [(column: String, sql: String)] = [
        ("subject", "UPDATE audit_entry SET subject = 'RSK-2026-999' WHERE idx = 6"),
        ("subject", "UPDATE audit_entry SET subject = NULL WHERE idx = 6"),
        ("partner", "UPDATE audit_entry SET partner = 'jobcenter' WHERE idx = 6"),
        ("purpose", "UPDATE audit_entry SET purpose = 'enforcement' WHERE idx = 6"),
        ("kind", "UPDATE audit_entry SET kind = 'audit-read' WHERE idx = 6"),
        ("time", "UPDATE audit_entry SET time = '2020-01-01T00:00:00Z' WHERE idx = 6"),
        ("actor", "UPDATE audit_entry SET actor = 'someone' WHERE idx = 6"),
        ("municipality", "UPDATE audit_entry SET municipality = 'Troisdorf' WHERE idx = 6"),
        ("released", "UPDATE audit_entry SET released = 0 WHERE idx = 6"),
        // A subject with a NUL byte appended: the same text up to the NUL, so a C-string comparison would miss it.
        ("subject", "UPDATE audit_entry SET subject = CAST(subject || x'00' || 'x' AS TEXT) WHERE idx = 6"),
    ]

    @Test("An index column changed beside intact bytes (a disclosure moved out of a person's report) is found",
          arguments: columnEdits, splits)
    func indexColumnChanged(edit: (column: String, sql: String), split: VerifyWorkSplit) throws {
        let (column, sql) = edit
        let log = try makeLog()
        try dropTriggers(log)
        // Row 9 too, later in the log: the first changed row is the one named.
        try TestSupport.sqlite(log.path, sql + "; " + sql.replacingOccurrences(of: "idx = 6", with: "idx = 9"))
        expectFinding(log, .indexColumnChanged(index: 6, column: column), mentions: "entry 6", split: split)
        #expect(try log.store.entries(matching: AuditQuery(subject: "RSK-2026-6")).count == (column == "subject" ? 0 : 1),
                "the tampering this finds does hide the entry from a subject query")
    }

    @Test("After a key rotation the log verifies with both keys; with either key alone the other's checkpoints fail")
    func rotatedKey() throws {
        let log = try makeLog()
        let unrelated = try NoteSigner(name: TestSupport.origin, key: PrivateKey.generate())
        // A key that does not continue the old key's checkpoints appends nothing (`AppendBase`).
        #expect(throws: AuditLogError.tampered(.unverifiableHead(size: 15, problem: .signedByOtherKey(
            given: "\(TestSupport.origin)+\(Hex.encode(unrelated.verifier.keyID))",
            found: "\(TestSupport.origin)+\(Hex.encode(log.signer.verifier.keyID))")))) {
            try log.store.append(TestSupport.disclosure(15), signer: unrelated)
        }
        let newer = unrelated.continuing([log.signer.key.publicKey])
        try log.store.append(TestSupport.disclosure(15), signer: newer)
        try log.store.append(TestSupport.disclosure(16), signer: newer)
        let report = try log.store.verify(keys: [log.signer.verifier, newer.verifier])
        #expect(report.size == 17 && report.checkpoints == 13)
        #expect(throws: AuditLogError.badCheckpoint(size: 16, problem: .noValidSignature(key: "\(TestSupport.origin)+\(Hex.encode(log.signer.verifier.keyID))"))) {
            try log.store.verify(key: log.signer.verifier)
        }
        #expect(throws: AuditLogError.self) { try log.store.verify(key: newer.verifier) }
        // A trusted checkpoint from before the rotation is still extended.
        let trusted = try #require(try DatabaseQueue(path: log.path).read { db in
            try String.fetchOne(db, sql: "SELECT note FROM audit_checkpoint WHERE tree_size = 15")
        })
        #expect(try log.store.verify(keys: [newer.verifier, log.signer.verifier], trustedCheckpoint: trusted).trustedSize == 15)
    }
}
