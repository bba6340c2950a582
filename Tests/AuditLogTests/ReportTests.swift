import Diagnostics
import Foundation
import StrictJSON
import TestFolders
import Testing
@testable import AuditLog

@Suite("Queries, subject report (GDPR Art. 15(1)(c)) and statistics")
struct ReportTests {
    /// This test's folders (removed with the suite instance after the test, also when it failed or threw).
    let tmp: TemporaryDirectory
    init() throws { tmp = try TemporaryDirectory("audit-tests") }

    func makeStore() throws -> (AuditLogStore, NoteSigner) {
        let dir = try tmp.folder()
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
        // The times' zone is said, as on every page (found in a review of dates: the file handed to the person did not).
        #expect(de.contains("Alle Zeiten in Ortszeit (Europe/Berlin).") && en.contains("All times in local time (Europe/Berlin)."))
    }

    /// The chart and CSV called the count of releasing decisions "Vermittlungen"/"referrals" while the DPO's page called
    /// the same count "Prüfungen mit Freigabe": what is counted is `decision` entries that released a field (a check
    /// prepares a referral; data that went is a disclosure). Each output names each count by the one label, at the
    /// column or bar that holds it: the jobcenter row has 1 disclosure and 1 releasing check, schulamt 2 and 0.
    @Test("Stats label each count by what is counted, the same in CSV and chart", arguments: [Language.de, .en])
    func statsLabelWhatIsCounted(language: Language) throws {
        let (store, _) = try makeStore()
        let s = try store.stats(by: [.partner])
        let lines = s.csv(language: language).dropFirst().split(separator: "\r\n").map { $0.split(separator: ";").map(String.init) }
        let header = try #require(lines.first)
        let releasing = try #require(header.firstIndex { $0.lowercased() == DisclosureStats.releasingChecksLabel[language].lowercased() }, "\(header)")
        let disclosed = try #require(header.firstIndex { $0.lowercased() == DisclosureStats.disclosuresLabel[language].lowercased() }, "\(header)")
        let schulamt = try #require(lines.first { $0.first == "schulamt" })
        #expect(schulamt[disclosed] == "2" && schulamt[releasing] == "0", "\(lines)")
        let jobcenter = try #require(lines.first { $0.first == "jobcenter" })
        #expect(jobcenter[disclosed] == "1" && jobcenter[releasing] == "1", "\(lines)")
        // The chart: the legend beside the colour of the second bar (releasing checks) says so; the bars of schulamt,
        // the second row, are 2 (first colour) and 0 (second colour).
        let svg = s.svg(language: language)
        let second = "#e07b00"
        #expect(svg.contains("fill=\"\(second)\"/><text x=\"168\" y=\"46\">\(DisclosureStats.releasingChecksLabel[language])</text>"), "\(svg)")
        let bars = svg.matches(of: /<rect x="240" y="\d+" width="\d+" height="12" fill="(#[0-9a-f]+)"\/><text [^>]*>(\d+)<\/text>/).map { (String($0.1), String($0.2)) }
        #expect(bars.count == 4 && bars[3] == (second, "0") && bars[2].1 == "2", "\(bars)")
        #expect(svg.contains("<desc>\(DisclosureStats.countsExplained[language])</desc>"))
        // Disclosures are what export runs delivered: no entry records a referral's passing on (found in a review of a
        // year-old installation: the words said "an export or a referral", and referrals counted 0).
        #expect(DisclosureStats.countsExplained[language].contains(language == .de ? "die ein Exportlauf an die Stelle geliefert hat" : "an export run delivered"))
        // No count is called a referral (the description may say that a referral is one way data goes).
        for output in [s.csv(language: language), svg.replacing(/<desc>.*<\/desc>/, with: "")] {
            #expect(!output.contains("Vermittlung") && !output.lowercased().contains("referral"), "\(output)")
        }
    }

    @Test("Stats count disclosures and referrals per partner and month, as CSV and SVG")
    func stats() throws {
        let (store, _) = try makeStore()
        let s = try store.stats(by: [.partner, .month])
        #expect(s.rows == [
            DisclosureStats.Row(partner: "jobcenter", month: "2026-11", disclosures: 1, referrals: 1),
            DisclosureStats.Row(partner: "schulamt", month: "2026-10", disclosures: 2, referrals: 0),
        ])
        #expect(s.csv(language: .de) == "\u{FEFF}Partner;Monat;Weitergaben;Prüfungen mit Freigabe\r\njobcenter;2026-11;1;1\r\nschulamt;2026-10;2;0\r\n")
        let byPartner = try store.stats(by: [.partner], query: AuditQuery(since: "2026-11-01T00:00:00Z"))
        #expect(byPartner.rows == [DisclosureStats.Row(partner: "jobcenter", month: nil, disclosures: 1, referrals: 1)])
        let svg = s.svg(language: .en)
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.contains("jobcenter · 2026-11") && svg.contains("Disclosures") && svg.hasSuffix("</svg>\n"))
        // Well-formed XML with an <svg> root, checked by Python's XML parser.
        let file = try tmp.folder().appendingPathComponent("stats.svg")
        try Data(svg.utf8).write(to: file)
        let (status, out, err) = try TestSupport.run("/usr/bin/env", ["python3", "-c",
            "import sys, xml.etree.ElementTree as E; print(E.parse(sys.argv[1]).getroot().tag)", file.path])
        #expect(status == 0, "\(err)")
        #expect(out == "{http://www.w3.org/2000/svg}svg\n")
        #expect(DisclosureStats.cell("=cmd") == "'=cmd")
    }

    /// The printed report is for the person: times in the county's zone with its abbreviation, winter and summer, the
    /// exact UTC time kept in `datetime`; the JSON keeps UTC. Before, the HTML printed `2026-12-05T14:21:41Z`.
    @Test("The HTML report shows logged times in Berlin time (MEZ/MESZ, CET/CEST), the JSON in UTC")
    func reportTimesInBerlin() throws {
        #expect(SubjectReport.timeHTML("2026-12-05T14:21:41Z", language: .de) == #"<time datetime="2026-12-05T14:21:41Z">05.12.2026, 15:21 MEZ</time>"#)
        #expect(SubjectReport.timeHTML("2026-07-01T22:30:00Z", language: .en) == #"<time datetime="2026-07-01T22:30:00Z">2 Jul 2026, 00:30 CEST</time>"#)
        #expect(SubjectReport.timeHTML("not a time", language: .de) == "not a time")
        let (store, _) = try makeStore()
        let report = SubjectReport(subject: "RSK-1", entries: try store.entries(matching: AuditQuery(subject: "RSK-1")),
                                   generatedAt: Date(timeIntervalSince1970: 1_764_064_800))
        let html = report.html(language: .de)
        let time = try #require(report.disclosures.first?.time)
        #expect(html.contains(SubjectReport.timeHTML(time, language: .de)) && !html.contains(">\(time)<"), "\(html)")
        #expect(html.contains("Erstellt am: <time datetime=\"2025-11-25T10:00:00Z\">25.11.2025, 11:00 MEZ</time>"), "\(html)")
        let json = String(decoding: CanonicalJSON.encode(report.json), as: UTF8.self)
        #expect(json.contains(#""time":"\#(time)""#), "\(json)")
    }

    /// An erasure notice names its recipients in `notify`, not in the partner column: a partner filter finds the notices
    /// told to that partner (one of several, too) besides the entries naming it, and no others. Before, `audit log
    /// --partner` and the DPO's page filtered by partner never showed a notice.
    @Test("A partner filter finds the erasure notices sent to that partner")
    func partnerFilterFindsErasureNotices() throws {
        let (store, signer) = try makeStore()
        try store.append([
            try AuditEntry(timeText: "2026-11-23T08:00:00Z", actor: "export", content: .erasureNotice(ErasureNoticeRecord(
                subject: "RSK-1", reason: "consent-withdrawn:c-1", notify: ["schulamt", "jobcenter"]))),
            try AuditEntry(timeText: "2026-11-23T08:00:00Z", actor: "export", content: .erasureNotice(ErasureNoticeRecord(
                subject: "RSK-2", reason: "consent-withdrawn:c-2", notify: ["jugendamt"]))),
        ], signer: signer)
        #expect(try store.entries(matching: AuditQuery(partner: "jobcenter")).map(\.index) == [2, 4, 5])
        #expect(try store.entries(matching: AuditQuery(partner: "jugendamt")).map(\.index) == [6])
        #expect(try store.entries(matching: AuditQuery(partner: "schulamt", kinds: [.erasureNotice])).map(\.index) == [5])
        #expect(try store.entries(matching: AuditQuery(partner: "sozialamt")).map(\.index) == [3])
        // The statistics count disclosures and releasing checks only: a notice adds nothing there.
        #expect(try store.stats(by: [.partner], query: AuditQuery(partner: "jobcenter")).rows.map(\.disclosures) == [1])
    }
}
