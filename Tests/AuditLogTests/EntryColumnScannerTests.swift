import Foundation
import Testing
@testable import AuditLog

/// `EntryColumnScanner` (the fast path of `verify`'s column check) gives exactly the columns `append` stores,
/// which `EncodedAuditEntry(columnsOf:)` derives from a parsed entry.
@Suite("Index columns read from an entry's bytes")
struct EntryColumnScannerTests {
    static func expected(_ e: AuditEntry) -> EntryColumnScanner.Columns {
        let c = EncodedAuditEntry(canonicalBytes: [], columnsOf: e)
        return EntryColumnScanner.Columns(kind: c.kind.rawValue, time: c.time, actor: c.actor, municipality: c.municipality,
                                          subject: c.subject, partner: c.partner, purpose: c.purpose,
                                          released: c.releasedFieldCount.map(Int64.init))
    }

    static func scanned(_ bytes: [UInt8]) -> EntryColumnScanner.Columns? {
        bytes.withUnsafeBytes { EntryColumnScanner.columns(of: $0) }
    }

    /// Subjects and municipalities that need escaping or are not ASCII.
    static let texts: [String] = ["RSK-2022-000017", "s\"\n\\/", "Ölçü Sankt Augustin 😀", "\u{1}\u{1F}\u{7F}", ""]

    @Test("Every kind, optional members present and absent, with texts that need escaping", arguments: texts)
    func everyKind(text: String) throws {
        var contents = CanonicalJSONTests.everyKind()
        // Grouped disclosures with several groups, and decisions with several permits, for the released counts.
        contents.append(.disclosure(DisclosureRecord(partner: "p", purpose: "q", subject: text, fields: [
            DisclosedField(field: "a", basis: .statute, rule: "r1", citation: "§ 1"), DisclosedField(field: "b", basis: .statute, rule: "r1", citation: "§ 1"),
            DisclosedField(field: "c", basis: .consent, rule: "r2", consent: ConsentReference(id: text, clause: "x")),
        ], exportRun: "run")))
        contents.append(.decision(DecisionRecord(subject: text, partner: "p", purpose: "q", at: "2026-01-01T00:00:00Z",
                                                 requested: ["a", "b", "c"], attributes: ["municipality": .string(text)],
                                                 consents: [], fields: [
                                                    FieldOutcome(field: "a", outcome: .permit, rule: "r"), FieldOutcome(field: "b", outcome: .deny, reason: "forbidden"),
                                                    FieldOutcome(field: "c", outcome: .permit, rule: "r")])))
        for content in contents {
            for municipality in [nil, text] {
                let e = try AuditEntry(timeText: "2026-11-25T10:00:00Z", actor: text.isEmpty ? "a" : text, municipality: municipality,
                                       policyDigest: "sha256:ab", content: content)
                #expect(Self.scanned(e.canonicalBytes()) == Self.expected(e), "\(content.kind) \(text.debugDescription)")
            }
        }
    }

    @Test("A disclosure in the per-field layout (before 2026-11) counts its field objects")
    func perFieldLayout() throws {
        let text = #"{"actor":"job","content":{"export-run":"r","fields":[{"basis":"statute","field":"a","rule":"x"},{"basis":"consent","consent":{"clause":"c","id":"i"},"field":"b"}],"partner":"p","purpose":"q","subject":"s"},"entry-version":1,"kind":"disclosure","time":"2026-11-01T00:00:00Z"}"#
        let bytes = Array(text.utf8)
        let e = try AuditEntry(bytes: bytes, context: "t")
        #expect(Self.scanned(bytes) == Self.expected(e))
        #expect(Self.scanned(bytes)?.released == 2)
    }

    @Test("Bytes that are not one JSON object give nil, so the full parser decides", arguments: [
        "", "{", "[]", #"{"kind":"decision""#, #"{"kind":"decision"} x"#, #"{"kind":1}"#, #"{"kind":"a\x"}"#, #"{"kind":"\ud800"}"#,
        #"{"content":{"fields":[{"outcome":1}]},"kind":"decision"}"#,
    ])
    func unreadable(text: String) {
        #expect(Self.scanned(Array(text.utf8)) == nil)
    }

    @Test("verify's allocation-free matcher finds every stored row of every kind plainly matching (no slow path)")
    func matcherAgreesOnStoredRows() throws {
        let dir = try TestSupport.tempDir()
        let store = AuditLogStore(writer: try TestSupport.openDatabase(at: dir.appendingPathComponent("m.sqlite").path))
        let signer = try TestSupport.signer()
        var entries: [AuditEntry] = []
        for content in CanonicalJSONTests.everyKind() {
            for municipality in [nil, "Sankt Augustin"] {
                entries.append(try AuditEntry(timeText: "2026-11-25T10:00:00Z", actor: "a", municipality: municipality,
                                              policyDigest: "sha256:ab", content: content))
            }
        }
        try store.append(entries, signer: signer)
        var verdicts: [Int64: EntryColumnMatcher.Verdict] = [:]
        try store.read("test") { db in
            try EntryScanner(db).forEach { idx, _, _, verdict in verdicts[idx] = verdict }
        }
        #expect(verdicts.count == entries.count)
        // Only the entry whose subject holds escapes ("s\"\n") may need the closer look.
        let notPlain = verdicts.filter { $0.value != .match }.map(\.key).sorted()
        #expect(notPlain.allSatisfy { String(decoding: try! store.entryBytes(index: $0), as: UTF8.self).contains("\\") }, "\(notPlain)")
        #expect(notPlain.count <= 2)
        #expect(try store.verify(key: signer.verifier).size == Int64(entries.count))
    }
}
