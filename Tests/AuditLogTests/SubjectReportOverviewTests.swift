import Diagnostics
import Foundation
import TestFolders
import Testing
@testable import AuditLog

/// The Art. 15 report opens with an overview: one line per recipient, purpose, data and legal bases, with how often and
/// the first and last time; the full list follows. Found in a review at scale: a person referred every week had 6,119
/// identical rows, a 3 MB page that answered "who received what" only to someone counting rows.
@Suite struct SubjectReportOverviewTests {
    let tmp: TemporaryDirectory
    init() throws { tmp = try TemporaryDirectory("report-overview") }

    /// Twelve weekly exports to the Schulamt, two referrals to the Jobcenter on one consent, and one on another consent.
    func report() throws -> SubjectReport {
        let store = AuditLogStore(writer: try TestSupport.openDatabase(at: try tmp.folder().appendingPathComponent("log.sqlite").path))
        var entries: [AuditEntry] = []
        for week in 0..<12 {
            let (month, day): (Int, Int) = (1 + week / 4, 1 + 7 * (week % 4))
            let time = "2026-0\(month)-" + (day < 10 ? "0\(day)" : "\(day)") + "T08:00:00Z"
            entries.append(try TestSupport.disclosure(week, subject: "RSK-1", time: time))
        }
        for (time, consent) in [("2026-05-02T09:00:00Z", "c-1"), ("2026-06-02T09:00:00Z", "c-1"), ("2026-07-02T09:00:00Z", "c-2")] {
            entries.append(try AuditEntry(timeText: time, actor: "cm-03", municipality: "Troisdorf", content: .decision(DecisionRecord(
                subject: "RSK-1", partner: "jobcenter", purpose: "job-placement", at: time, requested: ["name.family"],
                fields: [FieldOutcome(field: "name.family", outcome: .permit, rule: "jobcenter-consent",
                                      consent: ConsentReference(id: consent, clause: "jobcenter"))]))))
        }
        try store.append(entries, signer: try TestSupport.signer())
        return SubjectReport(subject: "RSK-1", entries: try store.entries(matching: AuditQuery(subject: "RSK-1")))
    }

    @Test func theOverviewCountsEachRecipientPurposeAndBasisOnce() throws {
        let report = try report()
        #expect(report.disclosures.count == 15)
        let lines = report.recipientOverview
        #expect(lines.map { "\($0.partner)/\($0.purpose)/\($0.count)" } == ["schulamt/school-planning/12", "jobcenter/job-placement/2",
                                                                             "jobcenter/job-placement/1"])
        #expect(lines[0].first == "2026-01-01T08:00:00Z" && lines[0].last == "2026-03-22T08:00:00Z")
        #expect(lines[1].first == "2026-05-02T09:00:00Z" && lines[1].last == "2026-06-02T09:00:00Z")
        #expect(lines[1].groups.first?.consent?.id == "c-1" && lines[2].groups.first?.consent?.id == "c-2")
    }

    @Test(arguments: [Language.de, .en]) func thePageShowsTheOverviewBeforeEveryDisclosure(_ language: Language) throws {
        let html = try report().html(language: language)
        let overview = try #require(html.range(of: "<table id=\"overview\">"), "\(html)")
        let all = try #require(html.range(of: language == .de ? "<h2>Alle Offenlegungen</h2>" : "<h2>Every disclosure</h2>"))
        #expect(overview.upperBound < all.lowerBound)
        let table = html[overview.lowerBound..<all.lowerBound]
        #expect(table.components(separatedBy: "<tr>").count - 1 == 4, "a header and three lines: \(table)")
        #expect(table.contains("<td>12</td>") && table.contains("<td>2</td>") && table.contains("<td>1</td>"))
        #expect(table.contains(language == .de ? "<th>Anzahl</th>" : "<th>Times</th>"))
        // Every disclosure is still listed below, one row each.
        #expect(html[all.upperBound...].components(separatedBy: "<tr>").count - 1 == 1 + 15)
    }

    @Test func aReportWithoutDisclosuresHasNoOverview() throws {
        let empty = SubjectReport(subject: "RSK-9", entries: [])
        #expect(empty.recipientOverview.isEmpty)
        #expect(!empty.html(language: .de).contains("overview"))
    }
}
