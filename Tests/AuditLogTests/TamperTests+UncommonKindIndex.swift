import Foundation
import GRDB
import Testing
@testable import AuditLog

/// The partial index of the rows that are neither decisions nor disclosures (`auditlog-v3`): the service's first
/// authentication after a start reads every account event through it, the export job every partner's export runs, a
/// DPO's filter the policy loads, instead of scanning the whole log; `verify` holds it to the table like the other
/// indexes (a row missing from it would hide an account change from the check of the account table, an export run from
/// the erasure-notice check).
extension TamperTests {
    /// A log of 15 disclosures with account events at 15 and 17, a disclosure between them and a policy load at 18.
    func makeLogWithAccountEvents() throws -> Log {
        let log = try makeLog()
        func event(_ name: String) -> AuditEntry {
            AuditEntry(time: Date(timeIntervalSince1970: 1_795_000_000), actor: "admin", policyDigest: "sha256:" + String(repeating: "ab", count: 32),
                       content: .accountEvent(AccountEventRecord(event: "created", account: name, role: "dpo", municipality: nil,
                                                                 credentials: "sha256:" + String(repeating: "cd", count: 32))))
        }
        #expect(try log.store.append(event("dpo-1"), signer: log.signer) == 15)
        #expect(try log.store.append(TestSupport.disclosure(16), signer: log.signer) == 16)
        #expect(try log.store.append(event("dpo-2"), signer: log.signer) == 17)
        let load = AuditEntry(time: Date(timeIntervalSince1970: 1_795_000_100), actor: "admin", policyDigest: "sha256:" + String(repeating: "ab", count: 32),
                              content: .policyLoaded(PolicyLoadedRecord(bundleID: "b", version: "1", digest: "sha256:" + String(repeating: "ef", count: 32))))
        #expect(try log.store.append(load, signer: log.signer) == 18)
        return log
    }

    /// The plan of the query `entries(matching:)` runs for `query`.
    func plan(_ log: Log, _ query: AuditQuery) throws -> String {
        let (cond, args) = try query.whereClause()
        return try DatabaseQueue(path: log.path).read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT idx, entry FROM audit_entry WHERE \(cond) ORDER BY idx DESC LIMIT 200", arguments: args)
                .map { $0["detail"] as String }.joined(separator: "; ")
        }
    }

    @Test("Uncommon kinds are read through their partial index, not by scanning the whole log", arguments: [
        ([AuditEntryKind.accountEvent], [15, 17]), ([.policyLoaded], [18]), ([.accountEvent, .policyLoaded], [15, 17, 18]),
        ([.exportRun, .erasureNotice, .keyEvent, .auditRead], []),
    ] as [([AuditEntryKind], [Int64])])
    func uncommonKindsAreReadThroughTheirIndex(kinds: [AuditEntryKind], found: [Int64]) throws {
        let log = try makeLogWithAccountEvents()
        #expect(try log.store.entries(matching: AuditQuery(kinds: kinds)).map(\.index) == found)
        #expect(try log.store.entries(matching: AuditQuery(kinds: kinds, after: 15)).map(\.index) == found.filter { $0 > 15 })
        #expect(try plan(log, AuditQuery(kinds: kinds, after: 15)).contains("USING INDEX audit_entry_uncommon_kind"))
    }

    @Test("A query naming a decision or a disclosure kind does not state the index's condition, and reads every match")
    func commonKindsAreReadAsBefore() throws {
        let log = try makeLogWithAccountEvents()
        #expect(try log.store.entries(matching: AuditQuery(kinds: [.accountEvent, .disclosure])).count == 18)
        #expect(try !AuditQuery(kinds: [.accountEvent, .disclosure]).whereClause().0.contains(AuditLogSchema.uncommonKindCondition))
        #expect(try !plan(log, AuditQuery(kinds: [.disclosure])).contains("audit_entry_uncommon_kind"))
    }

    @Test("An account event left out of the index (schema text restored) is found", arguments: splits)
    func uncommonKindIndexRebuilt(split: VerifyWorkSplit) throws {
        let log = try makeLogWithAccountEvents()
        let original = "CREATE INDEX audit_entry_uncommon_kind ON audit_entry(kind) WHERE \(AuditLogSchema.uncommonKindCondition)"
        func setSchema(_ sql: String) throws {
            try TestSupport.sqlite(log.path, "PRAGMA writable_schema = ON; UPDATE sqlite_schema SET sql = '\(sql.replacingOccurrences(of: "'", with: "''"))' WHERE name = 'audit_entry_uncommon_kind';")
        }
        try setSchema(original + " AND idx <> 17")
        try TestSupport.sqlite(log.path, "REINDEX audit_entry_uncommon_kind;")
        try setSchema(original)
        try TestSupport.sqlite(log.path, "CREATE TABLE scratch (a); DROP TABLE scratch;")
        let store = AuditLogStore(writer: try TestSupport.openDatabase(at: log.path))
        #expect(try store.entries(matching: AuditQuery(kinds: [.accountEvent])).map(\.index) == [15], "the tampering does hide the event")
        expectFinding(Log(dir: log.dir, path: log.path, store: store, signer: log.signer),
                      .indexTreeChanged(index: "audit_entry_uncommon_kind", column: "kind"), mentions: "kind", split: split)
        try TestSupport.sqlite(log.path, "REINDEX audit_entry_uncommon_kind;")
        #expect(try store.verify(key: log.signer.verifier).size == 19)
    }

    @Test("A log made with the account-event index only gets the new index when opened, and verifies")
    func anOlderLogGetsTheIndexWhenOpened() throws {
        let log = try makeLogWithAccountEvents()
        try TestSupport.sqlite(log.path, """
            DROP INDEX audit_entry_uncommon_kind;
            CREATE INDEX audit_entry_account_event ON audit_entry(kind) WHERE kind = 'account-event';
            DELETE FROM grdb_migrations WHERE identifier = 'auditlog-v3';
            """)
        let store = AuditLogStore(writer: try TestSupport.openDatabase(at: log.path))
        #expect(try store.verify(key: log.signer.verifier).size == 19)
        #expect(try store.entries(matching: AuditQuery(kinds: [.accountEvent])).map(\.index) == [15, 17])
        let names = try DatabaseQueue(path: log.path).read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'audit_entry' ORDER BY name")
        }
        #expect(names == ["audit_entry_subject", "audit_entry_time", "audit_entry_uncommon_kind"])
    }
}
