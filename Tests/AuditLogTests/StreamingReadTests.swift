import Foundation
import GRDB
import Signing
import TestFolders
import Testing
@testable import AuditLog

/// `audit log` and `AuditLogStore.readRecorded(…, each:)` hand each entry over as it is read, after the read is logged
/// with the number of results; before 2026-12-06 every entry was collected first (4.3 GB for a month's 1.3M
/// disclosures). Shown without timing: an entry that cannot be decoded, far into the answer, stops the read there; a
/// reader that collected first got none of the entries before it, a streaming one gets every one.
@Suite("Streaming reads of the audit log")
struct StreamingReadTests {
    let tmp: TemporaryDirectory
    init() throws { tmp = try TemporaryDirectory("audit-stream-tests") }

    /// A log of `count` disclosures (appended in batches of 1,000) whose entry `damaged` no longer decodes (its bytes
    /// replaced behind the log's back, the append-only triggers dropped first, as an attacker with file access would).
    func damagedLog(count: Int, damaged: Int64) throws -> (path: String, store: AuditLogStore, signer: NoteSigner) {
        let path = try tmp.folder().appendingPathComponent("log.sqlite").path
        let store = AuditLogStore(writer: try TestSupport.openDatabase(at: path))
        let signer = try TestSupport.signer()
        for start in stride(from: 0, to: count, by: 1000) {
            try store.append((start..<min(count, start + 1000)).map { try TestSupport.disclosure($0) }, signer: signer)
        }
        try TestSupport.sqlite(path, """
            DROP TRIGGER audit_entry_no_update;
            UPDATE audit_entry SET entry = CAST('{"not": "an entry"}' AS BLOB) WHERE idx = \(damaged);
            """)
        return (path, store, signer)
    }

    @Test func entriesBeforeADamagedOneReachTheReaderAfterTheReadIsLogged() throws {
        let log = try damagedLog(count: 5000, damaged: 3000)
        var handed: [Int64] = []
        var sizeAtFirst: Int64?
        // A connection of its own: the reader's callback runs inside the store's read, which GRDB does not re-enter.
        let other = try DatabaseQueue(path: log.path)
        #expect(throws: AuditLogError.self) {
            try log.store.readRecorded(AuditQuery(kinds: [.disclosure]), actor: "dpo-1", command: "test", signer: log.signer) { e in
                if sizeAtFirst == nil { sizeAtFirst = try other.read { try Int64.fetchOne($0, sql: "SELECT size FROM audit_frontier") } }
                handed.append(e.index)
            }
        }
        #expect(handed == Array(0..<3000), "\(handed.count) entries handed over before the damaged one")
        // Logged before the first entry was handed over, with the count of the whole answer.
        #expect(sizeAtFirst == 5001)
        let read = try log.store.entry(index: 5000).entry
        #expect(read.content == .auditRead(AuditReadRecord(command: "test", filters: ["kind": "disclosure"], results: 5000)))
    }

    /// The answer is the log as it was when counted: the `audit-read` entry the read appends is not part of it, and the
    /// count logged is the number handed over, also with a limit and newest first.
    @Test(arguments: [(nil, false), (7, false), (7, true), (40, true)] as [(Int?, Bool)])
    func theCountLoggedIsTheNumberHandedOver(limit: Int?, newestFirst: Bool) throws {
        let path = try tmp.folder().appendingPathComponent("log.sqlite").path
        let store = AuditLogStore(writer: try TestSupport.openDatabase(at: path))
        let signer = try TestSupport.signer()
        try store.append((0..<25).map { try TestSupport.disclosure($0) }, signer: signer)
        // Earlier reads are in the log: a read of audit-reads must not see its own.
        for _ in 0..<3 { try store.recordRead(command: "earlier", filters: [:], results: 0, actor: "dpo-1", signer: signer) }
        let query = AuditQuery(kinds: [.auditRead], limit: limit, newestFirst: newestFirst)
        var handed: [Int64] = []
        let n = try store.readRecorded(query, actor: "dpo-1", command: "test", signer: signer) { handed.append($0.index) }
        #expect(handed == Array((newestFirst ? [27, 26, 25] : [25, 26, 27] as [Int64]).prefix(limit ?? 3)))
        #expect(n == Int64(handed.count))
        guard case let .auditRead(logged) = try store.entry(index: 28).entry.content else { Issue.record("no audit-read"); return }
        #expect(logged.results == Int64(handed.count))
    }

    /// The built command prints each entry as it reads it: on a log of 20,000 entries whose entry 15,000 is damaged, it
    /// prints the 15,000 before it and then fails, having logged the read first. Before 2026-12-06 it collected every
    /// entry first and printed nothing.
    @Test(arguments: [true, false])
    func auditLogPrintsEachEntryAsItReadsIt(json: Bool) throws {
        let log = try damagedLog(count: 20_000, damaged: 15_000)
        let dir = URL(fileURLWithPath: log.path).deletingLastPathComponent()
        // The log's own key: an append signs a new checkpoint only over one signed by a key of the trust store.
        let key = log.signer.key
        let keyFile = dir.appendingPathComponent("audit-key.pem").path
        try Data(try key.encryptedPEM(passphrase: CLITests.passphrase, iterations: 1000).utf8).write(to: URL(fileURLWithPath: keyFile))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: keyFile)
        let trust = try CLITests.trustStore(in: dir, keys: [(key, "audit-key", ["audit-log"])])
        let binary = TestSupport.productsDir.appendingPathComponent("consentgate").path
        let (status, out, err) = try TestSupport.run(
            binary, ["audit", "log", "--kind", "disclosure", "--db", log.path, "--key", keyFile, "--trust", trust, "--origin", TestSupport.origin,
                     "--actor", "dpo-1"] + (json ? ["--json"] : []),
            environment: ["CONSENTGATE_PASSPHRASE": CLITests.passphrase, "CONSENTGATE_LANG": "en"])
        #expect(status != 0, "the damaged entry is an error")
        #expect(err.contains("15000") || err.contains("15,000"), "\(err)")
        let lines = out.split(separator: "\n")
        #expect(lines.count == 15_000 + (json ? 0 : 1), "\(lines.count) lines printed before the damaged entry")
        if json {
            #expect(lines.first?.hasPrefix("{\"entry\":") == true && lines.last?.hasSuffix("\"index\":14999}") == true)
        } else {
            #expect(lines.first?.hasPrefix("index\t") == true && lines.last?.hasPrefix("14999\t") == true)
        }
        let read = try log.store.entry(index: 20_000).entry
        #expect(read.content == .auditRead(AuditReadRecord(command: "audit log", filters: ["kind": "disclosure"], results: 20_000)))
    }
}
