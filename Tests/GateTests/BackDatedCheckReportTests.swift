import AuditLog
import Diagnostics
import Foundation
import StrictJSON
import Testing
@testable import Gate

/// A check made for an earlier moment (`check --at`, the API's `at`) is listed in the Art. 15 report as what it was: a
/// check of the state at that moment, made on the day it was logged. Found in a black-box review: a check "as of" a day
/// before the person's withdrawal read as a release to the Jobcenter on the day of the check, after the withdrawal, on
/// the withdrawn line.
@Suite struct BackDatedCheckReportTests {
    @Test func aBackDatedCheckIsShownAsOfItsMoment() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let (stored, _) = try gate.grantConsent(Fixture.grant(clauses: ["jobcenter"]), actor: Fixture.actor, now: Fixture.grantedAt)
        let now = Fixture.time("2026-03-05T12:00:00Z")
        let backDated = try gate.check(Fixture.jobcenterCheck(at: Fixture.time("2026-01-20T10:00:00Z")), actor: Fixture.actor, now: now)
        #expect(backDated.decision.field("name.family")?.outcome == .permit, "the line held then, and when the check was made")
        // Withdrawn from 1 April: a check for its own time after that, give or take the clock of a caller that sends its
        // "now" as `at`, releases nothing. (A check made after a withdrawal took effect counts it whatever moment it is
        // for: `BackDatedCheckWithdrawalTests`.)
        _ = try gate.withdrawConsent(id: stored.id, at: Fixture.time("2026-04-01T00:00:00Z"), clauses: nil,
                                     recordedBy: Fixture.caseManager, actor: Fixture.actor)
        let later = Fixture.time("2026-04-05T12:00:00Z")
        let current = try gate.check(Fixture.jobcenterCheck(at: later.addingTimeInterval(-30)), actor: Fixture.actor, now: later)

        let report = SubjectReport(subject: Fixture.subjectID, entries: try gate.auditLog.entries(matching: AuditQuery(subject: Fixture.subjectID)))
        let row = try #require(report.disclosures.first { $0.index == backDated.auditIndex })
        #expect(row.time == "2026-03-05T12:00:00Z", "logged when it was made")
        #expect(row.asOf == "2026-01-20T10:00:00Z", "and made for that moment")
        #expect(report.json.canonicalText.contains(#""as-of":"2026-01-20T10:00:00Z""#))
        let de = report.html(language: .de), en = report.html(language: .en)
        #expect(de.contains("geprüft für den Stand vom <time datetime=\"2026-01-20T10:00:00Z\">20.01.2026, 11:00 MEZ</time>"), "\(de)")
        #expect(en.contains("checked as of <time datetime=\"2026-01-20T10:00:00Z\">20 Jan 2026, 11:00 CET</time>"))
        // The overview keeps it on a line of its own, marked (review of this fix: it read as a release on the day made).
        let line = try #require(report.recipientOverview.first { $0.last == "2026-03-05T12:00:00Z" })
        #expect(line.backDated && line.count == 1)
        #expect(de.contains("<td>1<br><span class=\"small\">Prüfungen für einen früheren oder späteren Stand (Einzelheiten unten)</span></td>"), "\(de)")
        // The current check released nothing (the consent is withdrawn), so it is no row; its record is decided for now.
        #expect(!report.disclosures.contains { $0.index == current.auditIndex })
    }

    @Test(arguments: [
        ("2026-03-05T12:00:00Z", "2026-03-05T12:00:00Z", nil),
        ("2026-03-05T12:01:00Z", "2026-03-05T12:00:00Z", nil),
        ("2026-03-05T12:01:01Z", "2026-03-05T12:00:00Z", "2026-03-05T12:01:01Z"),
        ("2026-03-05T11:58:59Z", "2026-03-05T12:00:00Z", "2026-03-05T11:58:59Z"),
        ("2025-12-31T23:00:00.250Z", "2026-03-05T12:00:00Z", "2025-12-31T23:00:00.250Z"),
        ("not a time", "2026-03-05T12:00:00Z", nil),
    ] as [(String, String, String?)])
    func asOfIsSetBeyondAMinute(_ at: String, _ logged: String, _ expected: String?) {
        #expect(SubjectReport.asOf(decidedFor: at, loggedAt: logged) == expected)
    }
}
