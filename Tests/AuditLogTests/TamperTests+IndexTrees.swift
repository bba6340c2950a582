import Foundation
import GRDB
import Testing
@testable import AuditLog

/// The index b-trees queries search by, tampered with while the table stays intact: an attacker rebuilds an
/// index under another definition (`REINDEX`) and puts the original schema text back, so SQLite uses a
/// b-tree that no longer lists the table's rows. And columns stored in a storage class queries cannot match.
extension TamperTests {
    /// One way to rebuild an index wrongly: its name, the definition it is rebuilt under, the finding, and a
    /// query that the tampering really fools (with its count before and after).
    struct IndexRebuild: Sendable, CustomTestStringConvertible {
        var label: String
        var index: String
        var definition: String
        var column: String
        var query: AuditQuery
        var before: Int
        var after: Int
        var testDescription: String { label }
    }

    static let original = [
        "audit_entry_subject": "CREATE INDEX audit_entry_subject ON audit_entry(subject) WHERE subject IS NOT NULL",
        "audit_entry_time": "CREATE INDEX audit_entry_time ON audit_entry(time)",
    ]
    static let person6 = AuditQuery(subject: "RSK-2026-6")
    static let thatSecond = AuditQuery(since: "2026-11-25T10:00:00Z", until: "2026-11-25T10:00:01Z")

    static let rebuilds: [IndexRebuild] = [
        IndexRebuild(label: "a row left out of the subject index", index: "audit_entry_subject",
                     definition: "CREATE INDEX audit_entry_subject ON audit_entry(subject) WHERE subject IS NOT NULL AND idx <> 6",
                     column: "subject", query: person6, before: 1, after: 0),
        IndexRebuild(label: "a row filed under another subject", index: "audit_entry_subject",
                     definition: "CREATE INDEX audit_entry_subject ON audit_entry(CASE WHEN idx = 6 THEN 'RSK-2026-7' ELSE subject END) WHERE subject IS NOT NULL",
                     column: "subject", query: person6, before: 1, after: 0),
        IndexRebuild(label: "a subject key stored as a BLOB", index: "audit_entry_subject",
                     definition: "CREATE INDEX audit_entry_subject ON audit_entry(CASE WHEN idx = 6 THEN CAST(subject AS BLOB) ELSE subject END) WHERE subject IS NOT NULL",
                     column: "subject", query: person6, before: 1, after: 0),
        IndexRebuild(label: "the subject index sorted the other way", index: "audit_entry_subject",
                     definition: "CREATE INDEX audit_entry_subject ON audit_entry(subject DESC) WHERE subject IS NOT NULL",
                     column: "subject", query: AuditQuery(subject: "RSK-2026-12"), before: 1, after: 0),
        IndexRebuild(label: "a row left out of the time index", index: "audit_entry_time",
                     definition: "CREATE INDEX audit_entry_time ON audit_entry(time) WHERE idx <> 6",
                     column: "time", query: thatSecond, before: 15, after: 14),
    ]

    /// Rebuilds `index` under `definition`, then restores its schema text, each step a separate `sqlite3`.
    func rebuild(_ log: Log, index: String, under definition: String) throws {
        func setSchema(_ sql: String) throws {
            try TestSupport.sqlite(log.path, "PRAGMA writable_schema = ON; UPDATE sqlite_schema SET sql = '\(sql.replacingOccurrences(of: "'", with: "''"))' WHERE name = '\(index)';")
        }
        try setSchema(definition)
        try TestSupport.sqlite(log.path, "REINDEX \(index);")
        try setSchema(Self.original[index]!)
        // Any schema change makes open connections read the (restored) schema text again.
        try TestSupport.sqlite(log.path, "CREATE TABLE scratch (a); DROP TABLE scratch;")
    }

    @Test("An index b-tree rebuilt to hide a row (schema text restored) is found, though every row is intact",
          arguments: rebuilds)
    func indexTreeRebuilt(_ r: IndexRebuild) throws {
        let log = try makeLog()
        #expect(try log.store.entries(matching: r.query).count == r.before)
        try rebuild(log, index: r.index, under: r.definition)
        // A fresh process's view: a new connection pool on the file.
        let store = AuditLogStore(writer: try TestSupport.openDatabase(at: log.path))
        #expect(try store.entries(matching: r.query).count == r.after, "the tampering does hide the row from the query")
        let fresh = Log(dir: log.dir, path: log.path, store: store, signer: log.signer)
        for split in Self.splits {
            expectFinding(fresh, .indexTreeChanged(index: r.index, column: r.column), mentions: r.column, split: split)
        }
        // Without a connection pool the indexes are read after the rows, on the same connection.
        let single = AuditLogStore(writer: try DatabaseQueue(path: log.path))
        expectFinding(Log(dir: log.dir, path: log.path, store: single, signer: log.signer),
                      .indexTreeChanged(index: r.index, column: r.column), mentions: r.column)
        // `REINDEX` under the original definition (after investigating) repairs it.
        try TestSupport.sqlite(log.path, "REINDEX \(r.index);")
        #expect(try store.verify(key: log.signer.verifier).size == 15)
        #expect(try single.verify(key: log.signer.verifier).size == 15)
        #expect(try store.entries(matching: r.query).count == r.before)
    }

    @Test("A dropped index is found")
    func indexDropped() throws {
        let log = try makeLog()
        try TestSupport.sqlite(log.path, "DROP INDEX audit_entry_time;")
        let store = AuditLogStore(writer: try TestSupport.openDatabase(at: log.path))
        expectFinding(Log(dir: log.dir, path: log.path, store: store, signer: log.signer),
                      .indexTreeChanged(index: "audit_entry_time", column: "time"), mentions: "time")
    }

    /// A column given the same bytes in another storage class: it reads back as the same text, yet a query
    /// comparing it with a text (or `released` with an integer) never matches.
    static let storageClassEdits: [(column: String, sql: String)] = [
        ("subject", "UPDATE audit_entry SET subject = CAST(subject AS BLOB) WHERE idx = 6"),
        ("partner", "UPDATE audit_entry SET partner = CAST(partner AS BLOB) WHERE idx = 6"),
        ("kind", "UPDATE audit_entry SET kind = CAST(kind AS BLOB) WHERE idx = 6"),
        ("released", "UPDATE audit_entry SET released = CAST(CAST(released AS TEXT) AS BLOB) WHERE idx = 6"),
    ]

    @Test("A column stored in another storage class (a BLOB subject) is found", arguments: storageClassEdits, splits)
    func storageClassChanged(edit: (column: String, sql: String), split: VerifyWorkSplit) throws {
        let log = try makeLog()
        try dropTriggers(log)
        try TestSupport.sqlite(log.path, edit.sql)
        let query = edit.column == "partner" ? AuditQuery(partner: "schulamt") : edit.column == "kind" ? AuditQuery(kinds: [.disclosure]) : Self.person6
        if edit.column != "released" {
            #expect(try log.store.entries(matching: query).filter { $0.index == 6 }.isEmpty, "the edit does hide row 6 from the query")
        }
        expectFinding(log, .indexColumnChanged(index: 6, column: edit.column), mentions: "entry 6", split: split)
    }
}

/// The log's tables, indexes and triggers changed in the file while every row stays intact.
extension TamperTests {
    static let schemaEdits: [(label: String, sql: String, finding: TamperFinding)] = [
        ("an append-only trigger dropped", "DROP TRIGGER audit_entry_no_delete",
         .schemaChanged(object: "audit_entry_no_delete", change: .missing)),
        ("a trigger added on the entries",
         "CREATE TRIGGER audit_entry_hide AFTER INSERT ON audit_entry BEGIN UPDATE audit_entry SET subject = NULL WHERE idx = new.idx; END",
         .schemaChanged(object: "audit_entry_hide", change: .added)),
        ("an index added on partner", "CREATE INDEX audit_entry_partner ON audit_entry(partner)",
         .schemaChanged(object: "audit_entry_partner", change: .added)),
    ]

    @Test("A changed schema (trigger dropped or added, index added) is found; restored, the log verifies",
          arguments: schemaEdits.indices)
    func schemaChanged(_ i: Int) throws {
        let (_, sql, finding) = Self.schemaEdits[i]
        let log = try makeLog()
        try TestSupport.sqlite(log.path, sql)
        let store = AuditLogStore(writer: try TestSupport.openDatabase(at: log.path))
        expectFinding(Log(dir: log.dir, path: log.path, store: store, signer: log.signer), finding,
                      mentions: String(sql.split(separator: " ")[2].dropFirst("audit_entry".count)))
        let undo = sql.hasPrefix("DROP") ? "CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry\n    BEGIN SELECT RAISE(ABORT, 'audit log entries are append-only'); END"
            : sql.contains("TRIGGER") ? "DROP TRIGGER audit_entry_hide" : "DROP INDEX audit_entry_partner"
        try TestSupport.sqlite(log.path, undo)
        #expect(try store.verify(key: log.signer.verifier).size == 15)
    }
}
