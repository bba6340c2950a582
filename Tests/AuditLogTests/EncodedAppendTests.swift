import Foundation
import GRDB
import TestFolders
import Testing
@testable import AuditLog

/// `AuditLogStore.append(encoded:)`: entries appended as pre-encoded canonical bytes must be stored exactly
/// as `append(_:)` stores the same entries (bytes, leaf hashes, index columns, tree), so tamper evidence is
/// the same, and the log must verify.
@Suite("Appending pre-encoded entries")
struct EncodedAppendTests {
    /// This test's folders (removed with the suite instance after the test, also when it failed or threw).
    let tmp: TemporaryDirectory
    init() throws { tmp = try TemporaryDirectory("audit-tests") }

    /// A mix of kinds: disclosures (with and without municipality), a decision-free export-run.
    func entries() throws -> [AuditEntry] {
        var out = try (0..<40).map { try TestSupport.disclosure($0, partner: $0 % 3 == 0 ? "jobcenter" : "schulamt") }
        out.append(try AuditEntry(timeText: "2026-11-25T10:00:01Z", actor: "export-job", content: .disclosure(
            DisclosureRecord(partner: "jugendamt", purpose: "youth-welfare", subject: "RSK-ÄÖÜ-\"1\"",
                             fields: [DisclosedField(field: "name.given", basis: .consent, rule: "r", citation: nil,
                                                     consent: ConsentReference(id: "c-1", clause: "k"))], exportRun: "run-1"))))
        out.append(try AuditEntry(timeText: "2026-11-25T10:00:02Z", actor: "export-job", content: .exportRun(
            ExportRunRecord(runID: "run-1", partner: "schulamt", purpose: "school-planning", inputDigest: "sha256:00",
                            records: 40, quarantined: 0))))
        return out
    }

    func columns(_ store: AuditLogStore) throws -> [Row] {
        try store.writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT idx, entry, leaf_hash, kind, time, actor, municipality, subject, partner, purpose, released
                FROM audit_entry ORDER BY idx
                """)
        }
    }

    @Test("The stored form of an entry is its canonical bytes and its own columns")
    func storedForm() throws {
        for e in try entries() {
            let encoded = EncodedAuditEntry(e)
            #expect(encoded.bytes == e.canonicalBytes())
            #expect(try AuditEntry(bytes: encoded.bytes, context: "test") == e)
            #expect(encoded.kind == e.kind && encoded.time == e.time && encoded.actor == e.actor)
            #expect(encoded.municipality == e.municipality && encoded.subject == e.subject)
            #expect(encoded.partner == e.partner && encoded.purpose == e.purpose)
            #expect(encoded.releasedFieldCount == e.content.releasedFieldCount)
            #expect(EncodedAuditEntry(canonicalBytes: e.canonicalBytes(), columnsOf: e) == encoded)
        }
    }

    @Test("Every stored index column is the entry's own value (text columns bound from one packed buffer)")
    func storedColumnsAreTheEntrysValues() throws {
        let dir = try tmp.folder()
        let store = AuditLogStore(writer: try TestSupport.openDatabase(at: dir.appendingPathComponent("columns.sqlite").path))
        let all = try entries()
        _ = try store.append(all, signer: try TestSupport.signer())
        let rows = try columns(store)
        #expect(rows.count == all.count)
        for (row, e) in zip(rows, all) {
            let stored: [String?] = [row["kind"], row["time"], row["actor"], row["municipality"], row["subject"], row["partner"], row["purpose"]]
            let expected: [String?] = [e.kind.rawValue, e.time, e.actor, e.municipality, e.subject, e.partner, e.purpose]
            #expect(stored == expected)
            // NULL stays NULL (not an empty text), so the column filters keep working.
            #expect((row["municipality"] as DatabaseValue).isNull == (e.municipality == nil))
            #expect((row["subject"] as DatabaseValue).isNull == (e.subject == nil))
            #expect((row["released"] as Int?) == e.content.releasedFieldCount)
            #expect((row["entry"] as Data?).map(Array.init) == e.canonicalBytes())
        }
        #expect(all.contains { $0.municipality == nil } && all.contains { $0.municipality != nil } && all.contains { $0.subject == nil })
    }

    @Test("Bytes appended through append(encoded:) equal canonicalBytes(), rows equal append(_:)'s, verify passes",
          arguments: [1, 7, 42])
    func sameAsAppend(batch: Int) throws {
        let dir = try tmp.folder()
        let plain = AuditLogStore(writer: try TestSupport.openDatabase(at: dir.appendingPathComponent("plain.sqlite").path))
        let fast = AuditLogStore(writer: try TestSupport.openDatabase(at: dir.appendingPathComponent("fast.sqlite").path))
        let signer = try TestSupport.signer()
        let all = try entries()
        var start = 0
        while start < all.count {
            let slice = Array(all[start..<min(all.count, start + batch)])
            let a = try plain.append(slice, signer: signer)
            let b = try fast.append(encoded: slice.map(EncodedAuditEntry.init), signer: signer)
            #expect(a == b)
            #expect(b == Array(Int64(start)..<Int64(start + slice.count)))
            start += batch
        }
        for (i, e) in all.enumerated() {
            #expect(try fast.entryBytes(index: Int64(i)) == e.canonicalBytes())
        }
        let rowsA = try columns(plain), rowsB = try columns(fast)
        #expect(rowsA.count == all.count)
        #expect(rowsA == rowsB)
        let slow = MerkleHasher()
        let leaves = try fast.leafHashes(size: Int64(all.count))
        for (i, e) in all.enumerated() { #expect(leaves[i] == slow.leafHash(e.canonicalBytes())) }
        let report = try fast.verify(key: signer.verifier)
        #expect(report.size == Int64(all.count))
        #expect(report.rootHash == MerkleTree.root(leaves[...], hasher: slow))
        #expect(try plain.verify(key: signer.verifier).rootHash == report.rootHash)
        #expect(try fast.entries(matching: AuditQuery(subject: "RSK-2026-3")).map(\.entry) == [all[3]])
    }

    @Test("An empty batch appends nothing")
    func emptyBatch() throws {
        let dir = try tmp.folder()
        let store = AuditLogStore(writer: try TestSupport.openDatabase(at: dir.appendingPathComponent("log.sqlite").path))
        #expect(try store.append(encoded: [], signer: TestSupport.signer()).isEmpty)
        #expect(try store.size() == 0)
    }
}
