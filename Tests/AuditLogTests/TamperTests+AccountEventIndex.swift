import Foundation
import GRDB
import Testing
@testable import AuditLog

/// The partial index of `account-event` rows (`auditlog-v2`): the service's first authentication after a start reads
/// every account event through it instead of scanning the whole log, and `verify` holds it to the table like the
/// other indexes (a row missing from it would hide an account change from the check of the account table).
extension TamperTests {
    /// A log of 15 disclosures with account events at 15 and 17 and a disclosure between them.
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
        return log
    }

    @Test("Reading the account events searches the partial index, not the whole log")
    func accountEventsAreReadThroughTheirIndex() throws {
        let log = try makeLogWithAccountEvents()
        let found = try log.store.entries(matching: AuditQuery(kinds: [.accountEvent]))
        #expect(found.map(\.index) == [15, 17])
        #expect(try log.store.entries(matching: AuditQuery(kinds: [.accountEvent], after: 15)).map(\.index) == [17])
        let (cond, args) = try AuditQuery(kinds: [.accountEvent], after: 15).whereClause()
        let plan = try DatabaseQueue(path: log.path).read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT idx, entry FROM audit_entry WHERE \(cond) ORDER BY idx", arguments: args)
                .map { $0["detail"] as String }.joined(separator: "; ")
        }
        #expect(plan.contains("USING INDEX audit_entry_account_event"), "\(plan)")
        // Several kinds at once still read correctly (without the partial index).
        #expect(try log.store.entries(matching: AuditQuery(kinds: [.accountEvent, .disclosure])).count == 18)
    }

    @Test("An account event left out of its index (schema text restored) is found", arguments: splits)
    func accountEventIndexRebuilt(split: VerifyWorkSplit) throws {
        let log = try makeLogWithAccountEvents()
        let original = "CREATE INDEX audit_entry_account_event ON audit_entry(kind) WHERE kind = 'account-event'"
        func setSchema(_ sql: String) throws {
            try TestSupport.sqlite(log.path, "PRAGMA writable_schema = ON; UPDATE sqlite_schema SET sql = '\(sql.replacingOccurrences(of: "'", with: "''"))' WHERE name = 'audit_entry_account_event';")
        }
        try setSchema("CREATE INDEX audit_entry_account_event ON audit_entry(kind) WHERE kind = 'account-event' AND idx <> 17")
        try TestSupport.sqlite(log.path, "REINDEX audit_entry_account_event;")
        try setSchema(original)
        try TestSupport.sqlite(log.path, "CREATE TABLE scratch (a); DROP TABLE scratch;")
        let store = AuditLogStore(writer: try TestSupport.openDatabase(at: log.path))
        #expect(try store.entries(matching: AuditQuery(kinds: [.accountEvent])).map(\.index) == [15], "the tampering does hide the event")
        expectFinding(Log(dir: log.dir, path: log.path, store: store, signer: log.signer),
                      .indexTreeChanged(index: "audit_entry_account_event", column: "kind"), mentions: "kind", split: split)
        try TestSupport.sqlite(log.path, "REINDEX audit_entry_account_event;")
        #expect(try store.verify(key: log.signer.verifier).size == 18)
    }

    @Test("A log made before the partial index gets it when opened, and verifies")
    func anOlderLogGetsTheIndexWhenOpened() throws {
        let log = try makeLogWithAccountEvents()
        try TestSupport.sqlite(log.path, "DROP INDEX audit_entry_account_event; DELETE FROM grdb_migrations WHERE identifier = 'auditlog-v2';")
        let store = AuditLogStore(writer: try TestSupport.openDatabase(at: log.path))
        #expect(try store.verify(key: log.signer.verifier).size == 18)
        #expect(try store.entries(matching: AuditQuery(kinds: [.accountEvent])).map(\.index) == [15, 17])
    }
}
