import Foundation
import Testing
@testable import PolicyEngine

/// Ages and "today" count on the day in Germany (`BerlinDay`), not on the UTC day: a person is 18 from the first
/// moment of their 18th birthday there (§ 187 Abs. 2 BGB), which is 23:00 UTC (winter) or 22:00 UTC (summer) of
/// the day before.
@Suite struct BerlinDayTests {
    /// The day Foundation's calendar in Europe/Berlin gives, the reference for the table.
    static func calendarDay(_ date: Date) -> Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = BerlinDay.zone
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return UTCDay.days(year: c.year!, month: c.month!, day: c.day!)
    }

    @Test(arguments: [
        ("2026-01-14T22:59:59Z", "2026-01-14"), ("2026-01-14T23:00:00Z", "2026-01-15"),   // winter: UTC+1
        ("2026-07-14T21:59:59Z", "2026-07-14"), ("2026-07-14T22:00:00Z", "2026-07-15"),   // summer: UTC+2
        ("2026-03-29T00:59:59Z", "2026-03-29"), ("2026-03-28T23:00:00Z", "2026-03-29"),   // the spring change at 01:00 UTC
        ("2026-10-24T21:59:59Z", "2026-10-24"), ("2026-10-24T22:00:00Z", "2026-10-25"),   // the autumn change's day
        ("2026-10-25T22:59:59Z", "2026-10-25"), ("2026-10-25T23:00:00Z", "2026-10-26"),
        ("1975-06-01T23:30:00Z", "1975-06-02"),                                           // no summer time before 1980
        ("1960-06-01T23:30:00Z", "1960-06-02"), ("2150-07-01T22:30:00Z", "2150-07-02"),   // outside the table: tzdata directly
    ])
    func dayOfAnInstant(_ instant: String, _ day: String) {
        #expect(BerlinDay.day(of: Fixture.t(instant)) == UTCDay.parse(day)!)
    }

    /// Every transition from 1970 to 2099 and the hours around it, and instants spread over the whole span (a fixed
    /// step, not aligned to hours), give the day Foundation's calendar gives.
    @Test func agreesWithTheCalendarOverTheTablesSpan() {
        var mismatches: [String] = []
        for row in BerlinDay.table.dropFirst() {
            for delta in stride(from: -3 * 3600, through: 3 * 3600, by: 1800) {
                for edge in [-1, 0] {
                    let date = Date(timeIntervalSince1970: Double(row.start + Int64(delta + edge)))
                    if BerlinDay.day(of: date) != Self.calendarDay(date) { mismatches.append("\(date)") }
                }
            }
        }
        var t: Double = 0
        while t < BerlinDay.tableEnd {
            let date = Date(timeIntervalSince1970: t)
            if BerlinDay.day(of: date) != Self.calendarDay(date) { mismatches.append("\(date)") }
            t += 86_400 * 3 + 3_607   // walks through every hour of the day over the years
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
        #expect(BerlinDay.table.count > 2 * 100, "the table holds the summer-time changes from 1980 on")
    }

    /// The offset itself (which `day(of:)` only shows near midnight) equals the zone's at every change of offset, a
    /// second either side, and at instants spread over the span.
    @Test func theOffsetIsTheZonesAtEveryChangeAndBetween() {
        var mismatches: [String] = []
        func check(_ seconds: Int64) {
            let zone = BerlinDay.zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(seconds)))
            if Int(BerlinDay.offset(at: seconds)) != zone { mismatches.append("\(seconds): \(BerlinDay.offset(at: seconds)) vs \(zone)") }
        }
        for row in BerlinDay.table {
            for delta: Int64 in [-86_400 * 40, -1, 0, 1, 86_400 * 40] where row.start + delta >= 0 { check(row.start + delta) }
        }
        var t: Int64 = 0
        while t < Int64(BerlinDay.tableEnd) { check(t); t += 86_400 * 5 + 7_919 }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    /// The policy's age condition (`office-children`: under 18) and the export selection turn on the Berlin day.
    @Test(arguments: [
        ("2026-01-14T22:30:00Z", true),    // 23:30 in Berlin on the 14th: still 17
        ("2026-01-14T23:30:00Z", false),   // 00:30 in Berlin on the 15th, the 18th birthday; UTC still says the 14th
        ("2026-01-15T12:00:00Z", false),
    ])
    func eighteenthBirthdayStartsAtBerlinMidnight(_ at: String, _ minor: Bool) throws {
        let policy = try Fixture.small()
        let subject = SubjectAttributes(birthDate: Fixture.d("2008-01-15"))
        let request = DecisionRequest(subject: "S-1", attributes: subject, partner: "office", purpose: "planning",
                                      fields: ["birth.date"], at: Fixture.t(at))
        let d = try #require(policy.decide(request, consents: []).fields.first)
        #expect(d.outcome == (minor ? .permit : .deny))
        #expect(policy.selects(export: "office-list", subject: subject, at: Fixture.t(at)) == minor)
        #expect(policy.attribute("age", of: subject, at: Fixture.t(at)) == .int(minor ? 17 : 18))
    }

    /// Before the birth (its Berlin day) there is no age: the condition "under 18" does not hold (fail closed), where
    /// an age of −1 would have released the field (found in a review of dates). The day of birth itself is age 0.
    @Test(arguments: [("2008-01-14T22:30:00Z", false), ("2008-01-14T23:30:00Z", true)])
    func noAgeBeforeTheBirth(_ at: String, _ born: Bool) throws {
        let policy = try Fixture.small()
        let subject = SubjectAttributes(birthDate: Fixture.d("2008-01-15"))
        let request = DecisionRequest(subject: "S-1", attributes: subject, partner: "office", purpose: "planning",
                                      fields: ["birth.date"], at: Fixture.t(at))
        let d = try #require(policy.decide(request, consents: []).fields.first)
        #expect(d.outcome == (born ? .permit : .deny))
        #expect(policy.attribute("age", of: subject, at: Fixture.t(at)) == (born ? .int(0) : nil))
        #expect(policy.selects(export: "office-list", subject: subject, at: Fixture.t(at)) == born)
    }

    /// A consent signed without a guardian is valid from the 16th birthday on (the small bundle's template: minimum age
    /// 16), counted on the Berlin day of signing: just after midnight in Germany, the day before in UTC.
    @Test(arguments: [("2026-07-14T21:30:00Z", false), ("2026-07-14T22:30:00Z", true)])
    func minimumAgeAtSigningOnTheBerlinDay(_ granted: String, _ valid: Bool) throws {
        let policy = try Fixture.small()
        let subject = SubjectAttributes(birthDate: Fixture.d("2010-07-15"))
        let consent = Fixture.consent(clauses: ["basic"], granted: granted, expires: "2026-12-31T00:00:00Z")
        let request = DecisionRequest(subject: "S-1", attributes: subject, partner: "agency", purpose: "help",
                                      fields: ["name.family"], at: Fixture.t("2026-08-01T12:00:00Z"))
        let d = try #require(policy.decide(request, consents: [consent]).fields.first)
        #expect(d.outcome == (valid ? .permit : .deny))
        if !valid { #expect(d.reason == .consentInvalid) }
    }
}
