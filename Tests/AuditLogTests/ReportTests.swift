import Diagnostics
import Foundation
import StrictJSON
import Testing
@testable import AuditLog

@Suite("Queries, subject report (GDPR Art. 15(1)(c)) and statistics")
struct ReportTests {
    func makeStore() throws -> (AuditLogStore, NoteSigner) {
        let dir = try TestSupport.tempDir()
        let store = AuditLogStore(writer: try TestSupport.openDatabase(at: dir.appendingPathComponent("log.sqlite").path))
        let signer = try TestSupport.signer()
        let decision = try AuditEntry(timeText: "2026-11-20T09:00:00Z", actor: "cm-03", municipality: "Troisdorf", policyDigest: "sha256:aa",
            content: .decision(DecisionRecord(subject: "RSK-1", partner: "jobcenter", purpose: "job-placement", at: "2026-11-20T09:00:00Z",
                requested: ["name.family", "health.notes"], attributes: ["age": .int(19)], consents: ["c-1"],
                fields: [FieldOutcome(field: "name.family", outcome: .permit, rule: "jobcenter-consent", consent: ConsentReference(id: "c-1", clause: "jobcenter")),
                         FieldOutcome(field: "health.notes", outcome: .deny, rule: "no-health", reason: "forbidden")], referral: "ref-9")))
        let denied = try AuditEntry(timeText: "2026-11-21T09:00:00Z", actor: "cm-03", municipality: "Troisdorf",
            content: .decision(DecisionRecord(subject: "RSK-1", partner: "sozialamt", purpose: "benefits", at: "2026-11-21T09:00:00Z",
                requested: ["health.notes"], fields: [FieldOutcome(field: "health.notes", outcome: .deny, reason: "no-matching-rule")])))
        try store.append([
            TestSupport.disclosure(1, subject: "RSK-1", time: "2026-10-02T08:00:00Z"),
            TestSupport.disclosure(2, subject: "RSK-2", time: "2026-10-03T08:00:00Z"),
            decision, denied,
            TestSupport.disclosure(3, partner: "jobcenter", subject: "RSK-3", time: "2026-11-22T08:00:00Z"),
        ], signer: signer)
        return (store, signer)
    }

    @Test("Filters combine; kinds, actor, municipality and the time range [since, until) select the right entries")
    func queries() throws {
        let (store, _) = try makeStore()
        #expect(try store.entries(matching: AuditQuery(subject: "RSK-1")).map(\.index) == [0, 2, 3])
        #expect(try store.entries(matching: AuditQuery(partner: "jobcenter")).map(\.index) == [2, 4])
        #expect(try store.entries(matching: AuditQuery(kinds: [.decision])).map(\.index) == [2, 3])
        #expect(try store.entries(matching: AuditQuery(actor: "cm-03", municipality: "Troisdorf")).map(\.index) == [2, 3])
        #expect(try store.entries(matching: AuditQuery(purpose: "school-planning", since: "2026-10-03T08:00:00Z")).map(\.index) == [1, 4])
        #expect(try store.entries(matching: AuditQuery(until: "2026-10-03T08:00:00Z")).map(\.index) == [0])
        #expect(throws: AuditLogError.self) { try store.entries(matching: AuditQuery(since: "yesterday")) }
    }

    @Test("The subject report lists every recipient with date, purpose, fields and basis; denials are not disclosures")
    func subjectReport() throws {
        let (store, _) = try makeStore()
        let report = SubjectReport(subject: "RSK-1", entries: try store.entries(matching: AuditQuery(subject: "RSK-1")),
                                   generatedAt: Date(timeIntervalSince1970: 1_764_064_800), checkpoint: try store.latestCheckpoint())
        #expect(report.disclosures.map(\.partner) == ["schulamt", "jobcenter"])
        #expect(report.disclosures[1].fields == [DisclosedField(field: "name.family", basis: .consent, rule: "jobcenter-consent",
                                                               consent: ConsentReference(id: "c-1", clause: "jobcenter"))])
        #expect(report.disclosures[1].channel == "referral" && report.disclosures[1].reference == "ref-9")
        let json = String(decoding: CanonicalJSON.encode(report.json), as: UTF8.self)
        #expect(json.contains(#""partner":"jobcenter""#) && json.contains(#""basis":"consent""#) && !json.contains("health.notes"))
        let de = report.html(language: .de, labels: ReportLabels(partners: ["jobcenter": LocalizedText(de: "Jobcenter Rhein-Sieg", en: "Job centre")]))
        #expect(de.contains("<html lang=\"de\">") && de.contains("Empfänger") && de.contains("Jobcenter Rhein-Sieg (jobcenter)")
                && de.contains("Einwilligung") && de.contains("Gesetz (§ 34 SchulG NRW)"))
        let en = report.html(language: .en)
        #expect(en.contains("GDPR Art. 15(1)(c)") && en.contains("Consent") && en.contains("Statute"))
        #expect(!en.contains("health.notes"))
    }

    @Test("Stats count disclosures and referrals per partner and month, as CSV and SVG")
    func stats() throws {
        let (store, _) = try makeStore()
        let s = try store.stats(by: [.partner, .month])
        #expect(s.rows == [
            DisclosureStats.Row(partner: "jobcenter", month: "2026-11", disclosures: 1, referrals: 1),
            DisclosureStats.Row(partner: "schulamt", month: "2026-10", disclosures: 2, referrals: 0),
        ])
        #expect(s.csv(language: .de) == "\u{FEFF}Partner;Monat;Weitergaben;Vermittlungen\r\njobcenter;2026-11;1;1\r\nschulamt;2026-10;2;0\r\n")
        let byPartner = try store.stats(by: [.partner], query: AuditQuery(since: "2026-11-01T00:00:00Z"))
        #expect(byPartner.rows == [DisclosureStats.Row(partner: "jobcenter", month: nil, disclosures: 1, referrals: 1)])
        let svg = s.svg(language: .en)
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.contains("jobcenter · 2026-11") && svg.contains("Disclosures") && svg.hasSuffix("</svg>\n"))
        // Well-formed XML with an <svg> root, checked by Python's XML parser.
        let file = try TestSupport.tempDir().appendingPathComponent("stats.svg")
        try Data(svg.utf8).write(to: file)
        let (status, out, err) = try TestSupport.run("/usr/bin/env", ["python3", "-c",
            "import sys, xml.etree.ElementTree as E; print(E.parse(sys.argv[1]).getroot().tag)", file.path])
        #expect(status == 0, "\(err)")
        #expect(out == "{http://www.w3.org/2000/svg}svg\n")
        #expect(DisclosureStats.cell("=cmd") == "'=cmd")
    }
}
