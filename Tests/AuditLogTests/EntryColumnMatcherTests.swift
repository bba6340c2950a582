import Foundation
import GRDB
import TestFolders
import Testing
@testable import AuditLog

/// `EntryColumnMatcher` (the per-row column check of `verify`) agrees with the columns `append` stores, which
/// `EncodedAuditEntry(columnsOf:)` derives from a parsed entry: every stored row of every kind plainly matches,
/// or (strings with escapes) is found correct by the full check; a changed column never matches.
@Suite("Index columns compared with an entry's bytes")
struct EntryColumnMatcherTests {
    /// This test's folders (removed with the suite instance after the test, also when it failed or threw).
    let tmp: TemporaryDirectory
    init() throws { tmp = try TemporaryDirectory("audit-tests") }

    /// Subjects, actors and municipalities that need escaping or are not ASCII.
    static let texts: [String] = ["RSK-2022-000017", "s\"\n\\/", "Ölçü Sankt Augustin 😀", "\u{1}\u{1F}\u{7F}", ""]

    /// Every kind (optional members present and absent), grouped disclosures with several groups and decisions
    /// with several permits, with `text` as subject, consent id and municipality.
    static func entries(text: String) throws -> [AuditEntry] {
        var contents = CanonicalJSONTests.everyKind()
        contents.append(.disclosure(DisclosureRecord(partner: "p", purpose: "q", subject: text, fields: [
            DisclosedField(field: "a", basis: .statute, rule: "r1", citation: "§ 1"), DisclosedField(field: "b", basis: .statute, rule: "r1", citation: "§ 1"),
            DisclosedField(field: "c", basis: .consent, rule: "r2", consent: ConsentReference(id: text, clause: "x")),
        ], exportRun: "run")))
        contents.append(.decision(DecisionRecord(subject: text, partner: "p", purpose: "q", at: "2026-01-01T00:00:00Z",
                                                 requested: ["a", "b", "c"], attributes: ["municipality": .string(text)],
                                                 consents: [], fields: [
                                                    FieldOutcome(field: "a", outcome: .permit, rule: "r"), FieldOutcome(field: "b", outcome: .deny, reason: "forbidden"),
                                                    FieldOutcome(field: "c", outcome: .permit, rule: "r")])))
        var out: [AuditEntry] = []
        for content in contents {
            for municipality in [nil, text] {
                out.append(try AuditEntry(timeText: "2026-11-25T10:00:00Z", actor: text.isEmpty ? "a" : text, municipality: municipality,
                                          policyDigest: "sha256:ab", content: content))
            }
        }
        return out
    }

    /// A log holding `entries`, and each row's verdict from the scan `verify` makes.
    func verdicts(_ entries: [AuditEntry]) throws -> (AuditLogStore, NoteSigner, [Int64: EntryColumnMatcher.Verdict]) {
        let dir = try tmp.folder()
        let store = AuditLogStore(writer: try TestSupport.openDatabase(at: dir.appendingPathComponent("m.sqlite").path))
        let signer = try TestSupport.signer()
        try store.append(entries, signer: signer)
        var verdicts: [Int64: EntryColumnMatcher.Verdict] = [:]
        try store.read(.query) { db in
            try EntryScanner(db).forEach { idx, entry, _, columns in
                verdicts[idx] = EntryColumnMatcher.verdict(entry: entry, columns: columns)
            }
        }
        return (store, signer, verdicts)
    }

    @Test("Every stored row of every kind matches: plainly, or after the full check where strings hold escapes",
          arguments: texts)
    func storedRowsMatch(text: String) throws {
        let entries = try Self.entries(text: text)
        let (store, signer, verdicts) = try verdicts(entries)
        #expect(verdicts.count == entries.count)
        for (index, verdict) in verdicts.sorted(by: { $0.key < $1.key }) {
            let bytes = String(decoding: try store.entryBytes(index: index), as: UTF8.self)
            #expect(verdict != .mismatch, "entry \(index): \(bytes)")
            if verdict == .undecided {
                #expect(bytes.contains("\\"), "only escapes may need the full check: \(bytes)")
                try store.read(.query) { db in #expect(IndexColumnCheck.problem(in: db, index: index) == nil) }
            }
        }
        #expect(try store.verify(key: signer.verifier).size == Int64(entries.count))
    }

    @Test("A changed column never matches, whatever the kind", arguments: [
        "UPDATE audit_entry SET subject = 'other'", "UPDATE audit_entry SET partner = 'other'",
        "UPDATE audit_entry SET purpose = 'other'", "UPDATE audit_entry SET kind = 'key-event'",
        "UPDATE audit_entry SET time = '2020-01-01T00:00:00Z'", "UPDATE audit_entry SET actor = 'other'",
        "UPDATE audit_entry SET municipality = 'other'", "UPDATE audit_entry SET released = coalesce(released, 0) + 1",
    ])
    func changedColumnsNeverMatch(sql: String) throws {
        let entries = try Self.entries(text: "RSK-2022-000017")
        let dir = try tmp.folder()
        let path = dir.appendingPathComponent("c.sqlite").path
        let store = AuditLogStore(writer: try TestSupport.openDatabase(at: path))
        try store.append(entries, signer: try TestSupport.signer())
        try TestSupport.sqlite(path, "DROP TRIGGER audit_entry_no_update; " + sql + ";")
        var changed: [Int64] = []
        try store.read(.query) { db in
            try EntryScanner(db).forEach { idx, entry, _, columns in
                if EntryColumnMatcher.verdict(entry: entry, columns: columns) != .match, IndexColumnCheck.problem(in: db, index: idx) != nil { changed.append(idx) }
            }
        }
        // Every row's column changed (a NULL column set to 'other' too), except kind on the key-event rows.
        let raw = try DatabaseQueue(path: path)
        let total = try raw.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_entry") ?? 0 }
        let unchanged = sql.contains("kind") ? entries.filter { $0.kind == .keyEvent }.count : 0
        #expect(changed.count == total - unchanged, "\(sql): \(changed.count) of \(total)")
    }

    @Test("A disclosure in the per-field layout (before 2026-11) counts its field objects")
    func perFieldLayout() throws {
        let text = #"{"actor":"job","content":{"export-run":"r","fields":[{"basis":"statute","field":"a","rule":"x"},{"basis":"consent","consent":{"clause":"c","id":"i"},"field":"b"}],"partner":"p","purpose":"q","subject":"s"},"entry-version":1,"kind":"disclosure","time":"2026-11-01T00:00:00Z"}"#
        let e = try AuditEntry(bytes: Array(text.utf8), context: "t")
        #expect(e.canonicalBytes() == Array(text.utf8))
        let (_, _, verdicts) = try verdicts([e])
        #expect(verdicts[0] == .match)
        #expect(EncodedAuditEntry(e).releasedFieldCount == 2)
    }
}
