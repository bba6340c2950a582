import Diagnostics
import Foundation
import StrictJSON
import TestFolders
import Testing
@testable import AuditLog

/// The two layouts of a `disclosure` entry: the grouped one written now (`released`: one object per legal basis)
/// and the per-field one of older logs (`fields`), both read with every field's exact basis; and the splicing
/// builder the export job rebuilds entries with, which must give exactly the encoder's bytes.
@Suite("Disclosure entry layouts")
struct DisclosureLayoutTests {
    /// This test's folders (removed with the suite instance after the test, also when it failed or threw).
    let tmp: TemporaryDirectory
    init() throws { tmp = try TemporaryDirectory("audit-tests") }

    static let citation = "§ 87 Abs. 1 AufenthG i. V. m. § 86 AufenthG"
    static let statute = (1...5).map { DisclosedField(field: "f\($0)", basis: .statute, rule: "abh-registration", citation: citation) }
    static let consentRef = ConsentReference(id: "4f1c2e9a-0b7d-4c55-9a51-1e2f3a4b5c6d", clause: "abh-kontakt")

    /// An entry as an older version wrote it: every field with its basis, rule and citation (per-field layout).
    static let legacyBytes = #"{"actor":"export-job","content":{"export-run":"20261101T080000Z-0a1b2c3d","fields":[{"basis":"statute","citation":"§ 34 SchulG NRW","field":"name.family","rule":"school-children"},{"basis":"consent","consent":{"clause":"jc","id":"c-7"},"field":"contact.phone","rule":"jobcenter-consent"},{"basis":"statute","citation":"§ 34 SchulG NRW","field":"birth.date","rule":"school-children"}],"partner":"schulamt","purpose":"school-planning","subject":"RSK-7"},"entry-version":1,"kind":"disclosure","municipality":"Siegburg","policy-digest":"sha256:ab","time":"2026-11-01T08:00:00Z"}"#

    @Test("A grouped entry writes each basis once, lists every field, and reads back to the same record and bytes")
    func groupedRoundTrip() throws {
        let fields = [Self.statute[0], DisclosedField(field: "contact.phone", basis: .consent, rule: "abh-consent", consent: Self.consentRef)]
            + Self.statute.dropFirst()
        let record = DisclosureRecord(partner: "auslaenderbehoerde", purpose: "residence", subject: "RSK-1", fields: fields, exportRun: "run-1")
        #expect(record.layout == .grouped)
        #expect(record.groups.map(\.fields) == [["f1", "f2", "f3", "f4", "f5"], ["contact.phone"]])
        let entry = try AuditEntry(timeText: "2026-11-25T10:00:00Z", actor: "export-job", content: .disclosure(record))
        let bytes = entry.canonicalBytes()
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.components(separatedBy: Self.citation).count == 2, "the citation is written once")
        #expect(text.contains(#""released":[{"basis":"statute","citation":"§ 87 Abs. 1 AufenthG i. V. m. § 86 AufenthG","fields":["f1","f2","f3","f4","f5"],"rule":"abh-registration"},{"basis":"consent","consent":{"clause":"abh-kontakt","id":"4f1c2e9a-0b7d-4c55-9a51-1e2f3a4b5c6d"},"fields":["contact.phone"],"rule":"abh-consent"}]"#))
        #expect(!text.contains(#""fields":[{"#))
        #expect(bytes == CanonicalJSON.encode(entry.json))
        let back = try AuditEntry(bytes: bytes, context: "t")
        #expect(back == entry)
        #expect(back.canonicalBytes() == bytes)
        guard case .disclosure(let d) = back.content else { Issue.record("not a disclosure"); return }
        // Every field keeps its own basis, rule, citation and consent.
        #expect(Set(d.fields.map(\.field)) == Set(fields.map(\.field)))
        for f in fields { #expect(d.fields.first { $0.field == f.field } == f) }
        #expect(back.content.releasedFieldCount == 6)
    }

    @Test("An entry in the older per-field layout is read with its fields and bases and written back to the same bytes")
    func legacyPerFieldEntry() throws {
        let bytes = Array(Self.legacyBytes.utf8)
        let entry = try AuditEntry(bytes: bytes, context: "entry 3")
        guard case .disclosure(let d) = entry.content else { Issue.record("not a disclosure"); return }
        #expect(d.layout == .perField)
        #expect(d.fields.map(\.field) == ["name.family", "contact.phone", "birth.date"])
        #expect(d.fields[1] == DisclosedField(field: "contact.phone", basis: .consent, rule: "jobcenter-consent",
                                              consent: ConsentReference(id: "c-7", clause: "jc")))
        #expect(d.fields[2].citation == "§ 34 SchulG NRW")
        #expect(entry.canonicalBytes() == bytes, "re-encoding keeps the stored layout")
        #expect(CanonicalJSON.encode(entry.json) == bytes)
        #expect(d.groups.count == 2, "grouping works on old entries too")
    }

    @Test("Both layouts in one log: the Art. 15 report, the stats and verification read them alike")
    func mixedLog() throws {
        let dir = try tmp.folder()
        let store = AuditLogStore(writer: try TestSupport.openDatabase(at: dir.appendingPathComponent("log.sqlite").path))
        let signer = try TestSupport.signer()
        let legacy = try AuditEntry(bytes: Array(Self.legacyBytes.utf8), context: "legacy")
        let grouped = try AuditEntry(timeText: "2026-11-25T10:00:00Z", actor: "export-job", municipality: "Siegburg",
                                     content: .disclosure(DisclosureRecord(partner: "auslaenderbehoerde", purpose: "residence", subject: "RSK-7",
                                                                           fields: Self.statute, exportRun: "run-2")))
        try store.append([legacy, grouped], signer: signer)
        #expect(try store.entryBytes(index: 0) == Array(Self.legacyBytes.utf8), "stored as given")
        let report = SubjectReport(subject: "RSK-7", entries: try store.entries(matching: AuditQuery(subject: "RSK-7")),
                                   generatedAt: Date(timeIntervalSince1970: 1_764_064_800))
        #expect(report.disclosures.map(\.partner) == ["schulamt", "auslaenderbehoerde"])
        #expect(report.disclosures[0].fields.map(\.basis) == [.statute, .consent, .statute])
        #expect(report.disclosures[1].fields == Self.statute)
        let html = report.html(language: .de)
        #expect(html.contains("f1, f2, f3, f4, f5"), "one line per basis")
        // Once per basis in each disclosure's row, and once in the overview above the rows (one line per recipient).
        #expect(html.components(separatedBy: "Gesetz (§ 87 Abs. 1 AufenthG").count == 3, "the citation once per basis")
        #expect(html.contains("Einwilligung (Einwilligung c-7, Klausel jc)"))
        let json = String(decoding: CanonicalJSON.encode(report.json), as: UTF8.self)
        #expect(json.contains(#""basis":"consent""#) && json.contains(#""field":"f5""#))
        let stats = try store.stats(by: [.partner])
        #expect(stats.rows.map(\.disclosures) == [1, 1])
        #expect(try store.entries(matching: AuditQuery(kinds: [.disclosure])).compactMap { e -> Int? in
            e.entry.content.releasedFieldCount } == [3, 5])
        #expect(try store.verify(key: signer.verifier).size == 2)
    }

    @Test("Malformed disclosures are refused with the member named")
    func malformed() throws {
        let both = Self.legacyBytes.replacingOccurrences(of: #""partner":"schulamt""#, with: #""partner":"schulamt","released":[]"#)
        #expect(throws: AuditLogError.self) { try AuditEntry(bytes: Array(both.utf8), context: "e") }
        let neither = Self.legacyBytes.replacingOccurrences(of: #""fields":"#, with: #""other":"#)
        #expect(throws: AuditLogError.self) { try AuditEntry(bytes: Array(neither.utf8), context: "e") }
        let badBasis = #"{"actor":"a","content":{"partner":"p","purpose":"q","released":[{"basis":"whim","fields":["x"]}],"subject":"s"},"entry-version":1,"kind":"disclosure","time":"2026-11-25T10:00:00Z"}"#
        #expect(throws: AuditLogError.self) { try AuditEntry(bytes: Array(badBasis.utf8), context: "e") }
    }

    struct TemplateCase: Sendable, CustomStringConvertible {
        var municipality: String?
        var policyDigest: String?
        var subject: String
        var actor: String
        var groups: [DisclosedFieldGroup]
        var description: String { "\(subject) \(municipality ?? "-") \(policyDigest ?? "-")" }
    }

    static let templateCases: [TemplateCase] = [
        TemplateCase(municipality: "Siegburg", policyDigest: "sha256:" + String(repeating: "ab", count: 32), subject: "RSK-2022-000017",
                     actor: "export-job", groups: [DisclosedFieldGroup(basis: .statute, rule: "abh", citation: citation, fields: ["a", "b"])]),
        TemplateCase(municipality: nil, policyDigest: nil, subject: "RSK-\"quoted\"\\\n", actor: "cm \u{1}ä",
                     groups: [DisclosedFieldGroup(basis: .statute, fields: ["a"]),
                              DisclosedFieldGroup(basis: .consent, rule: "r", consent: ConsentReference(id: "c-1", clause: "k"), fields: ["b", "c"])]),
        TemplateCase(municipality: "Königswinter \u{2028}", policyDigest: "sha256:00", subject: "ÄÖÜ-1", actor: "a", groups: []),
    ]

    @Test("The splicing builder gives exactly AuditEntry.canonicalBytes() and the entry's index columns", arguments: templateCases)
    func templateMatchesEncoder(_ c: TemplateCase) throws {
        let template = try DisclosureEntryTemplate(time: "2026-11-25T10:00:00Z", actor: c.actor, policyDigest: c.policyDigest,
                                                   partner: "schulamt", purpose: "school-planning", exportRun: "20261125T100000Z-1a2b3c4d")
        let entry = try AuditEntry(timeText: "2026-11-25T10:00:00Z", actor: c.actor, municipality: c.municipality, policyDigest: c.policyDigest,
                                   content: .disclosure(DisclosureRecord(partner: "schulamt", purpose: "school-planning", subject: c.subject,
                                                                         groups: c.groups, exportRun: "20261125T100000Z-1a2b3c4d")))
        let released = DisclosureEntryTemplate.released(c.groups)
        let encoded = template.encoded(subject: c.subject, municipality: c.municipality, released: released,
                                       fieldCount: c.groups.reduce(0) { $0 + $1.fields.count })
        #expect(encoded == EncodedAuditEntry(entry))
        #expect(String(decoding: encoded.bytes, as: UTF8.self) == String(decoding: entry.canonicalBytes(), as: UTF8.self))
        #expect(throws: AuditLogError.self) {
            try DisclosureEntryTemplate(time: "2026-11-25 10:00", actor: "a", policyDigest: nil, partner: "p", purpose: "q", exportRun: "r")
        }
    }
}
