import Foundation
import GRDB
import TestFolders
import Testing
@testable import AuditLog

/// The schema keeps two full secondary indexes (subject, time) for append speed, and one partial index that only
/// `account-event` rows enter; these tests pin that choice and check that SQLite really uses them for the queries
/// they exist for (docs/audit-log.md, "Indexes").
@Suite("Entry indexes: subject and time, the account events, and used by the DPO queries")
struct IndexTests {
    /// This test's folders (removed with the suite instance after the test, also when it failed or threw).
    let tmp: TemporaryDirectory
    init() throws { tmp = try TemporaryDirectory("audit-tests") }

    func makePool() throws -> DatabasePool {
        let dir = try tmp.folder()
        return try TestSupport.openDatabase(at: dir.appendingPathComponent("log.sqlite").path)
    }

    /// The query plan of the SQL that `entries(matching:)` runs for `query`.
    func plan(_ pool: DatabasePool, _ query: AuditQuery) throws -> String {
        let (cond, args) = try query.whereClause()
        return try pool.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT idx, entry FROM audit_entry WHERE \(cond) ORDER BY idx", arguments: args)
                .map { $0["detail"] as String }.joined(separator: "\n")
        }
    }

    @Test("audit_entry has exactly the subject and time indexes and the partial one of uncommon kinds")
    func indexList() throws {
        let pool = try makePool()
        let names = try pool.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'audit_entry' ORDER BY name")
        }
        #expect(names == ["audit_entry_subject", "audit_entry_time", "audit_entry_uncommon_kind"])
        let partial = try pool.read { db in
            try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'audit_entry_uncommon_kind'")
        }
        // The queries state the migration's condition word for word, or SQLite does not use the index.
        #expect(partial == "CREATE INDEX audit_entry_uncommon_kind ON audit_entry(kind) WHERE \(AuditLogSchema.uncommonKindCondition)")
    }

    @Test("A subject query searches the subject index; a time range searches the time index", arguments: [
        (AuditQuery(subject: "RSK-1"), "audit_entry_subject"),
        (AuditQuery(subject: "RSK-1", partner: "schulamt"), "audit_entry_subject"),
        (AuditQuery(since: "2026-10-01T00:00:00Z", until: "2026-11-01T00:00:00Z"), "audit_entry_time"),
        (AuditQuery(partner: "jobcenter", kinds: [.disclosure], since: "2026-10-01T00:00:00Z", until: "2026-10-15T00:00:00Z"), "audit_entry_time"),
    ])
    func plans(query: AuditQuery, index: String) throws {
        let pool = try makePool()
        let store = AuditLogStore(writer: pool)
        let signer = try TestSupport.signer()
        try store.append((0..<200).map { n in
            try TestSupport.disclosure(n, partner: n % 2 == 0 ? "jobcenter" : "schulamt", subject: "RSK-\(n % 50)",
                                       time: "2026-\(n < 100 ? "10" : "11")-\(String(format: "%02d", n % 28 + 1))T08:00:00Z")
        }, signer: signer)
        let detail = try plan(pool, query)
        #expect(detail.contains("USING INDEX \(index)"), "plan was: \(detail)")
        // And the filters still select exactly the matching entries.
        let found = try store.entries(matching: query)
        #expect(!found.isEmpty)
        for stored in found {
            if let s = query.subject { #expect(stored.entry.subject == s) }
            if let p = query.partner { #expect(stored.entry.partner == p) }
            if let since = query.since { #expect(stored.entry.time >= since) }
            if let until = query.until { #expect(stored.entry.time < until) }
        }
    }
}
