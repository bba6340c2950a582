import Foundation
import Testing
@testable import PolicyEngine

/// Durations (a consent's validity, a template's `max-validity`) counted in the county's calendar.
@Suite struct BerlinDurationTests {
    struct Sum: Sendable, CustomStringConvertible {
        var name: String
        var start: String
        var duration: String
        var end: String
        var description: String { name }
    }

    static let sums: [Sum] = [
        // 00:30 on 1 March in Berlin is 28 February in UTC, where a month used to end on 28 March.
        Sum(name: "a month from 00:30 on 1 March", start: "2027-02-28T23:30:00Z", duration: "P1M", end: "2027-03-31T22:30:00Z"),
        Sum(name: "a month from 00:30 on 31 January ends on the last day of February",
            start: "2027-01-30T23:30:00Z", duration: "P1M", end: "2027-02-27T23:30:00Z"),
        Sum(name: "half a year keeps the wall-clock time across summer time", start: "2026-11-25T10:00:00Z", duration: "P6M",
            end: "2027-05-25T09:00:00Z"),
        Sum(name: "two years from a leap day", start: "2024-02-29T10:00:00Z", duration: "P2Y", end: "2026-02-28T10:00:00Z"),
        Sum(name: "30 days from late evening", start: "2026-12-15T23:59:59Z", duration: "P30D", end: "2027-01-14T23:59:59Z"),
        Sum(name: "weeks are days", start: "2026-03-01T08:00:00Z", duration: "P4W", end: "2026-03-29T07:00:00Z"),
        // 02:30 on 28 March 2027 does not exist in Berlin (the clocks go from 02:00 to 03:00): 03:30 summer time.
        Sum(name: "into the skipped hour", start: "2027-02-28T01:30:00Z", duration: "P1M", end: "2027-03-28T01:30:00Z"),
        // 02:30 on 31 October 2027 happens twice in Berlin: its first occurrence (summer time) counts.
        Sum(name: "into the repeated hour", start: "2027-08-31T00:30:00Z", duration: "P2M", end: "2027-10-31T00:30:00Z"),
        // Years and months are added together (14 months), then days, as XML Schema does; `Calendar` adds the year
        // first and clamps 29 February to the 28th before adding the months, a day less.
        Sum(name: "a year, two months and three days from a leap day", start: "2028-02-29T10:00:00Z", duration: "P1Y2M3D",
            end: "2029-05-02T09:00:00Z"),
        Sum(name: "beyond the offset table (2100)", start: "2099-06-01T10:00:00Z", duration: "P2Y", end: "2101-06-01T10:00:00Z"),
    ]

    @Test(arguments: sums)
    func sumInTheCountysCalendar(_ sum: Sum) throws {
        let duration = try #require(ISODuration(sum.duration))
        #expect(BerlinDay.adding(duration, to: Fixture.t(sum.start)) == Fixture.t(sum.end))
        #expect(duration.added(to: Fixture.t(sum.start)) == Fixture.t(sum.end))
    }

    /// Every 37 hours over four years (every hour of the day, both sides of every change of summer time), for the
    /// single-unit durations templates use, the table-based sum equals `Calendar`'s in Europe/Berlin, except where the target
    /// wall-clock time lies in the skipped or repeated hour (checked by name above).
    @Test(arguments: ["P1M", "P6M", "P1Y", "P2Y", "P18M", "P30D", "P2W"])
    func agreesWithFoundationsBerlinCalendar(_ text: String) throws {
        let duration = try #require(ISODuration(text))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = BerlinDay.zone
        var checked = 0
        var t = Fixture.t("2025-01-01T00:17:00Z")
        while t < Fixture.t("2029-01-01T00:00:00Z") {
            let foundation = try #require(calendar.date(byAdding: DateComponents(year: duration.years, month: duration.months,
                                                                              day: duration.days), to: t))
            let local = calendar.dateComponents([.hour], from: foundation)
            let nearAChange = BerlinDay.zone.secondsFromGMT(for: foundation.addingTimeInterval(-3 * 3600))
                != BerlinDay.zone.secondsFromGMT(for: foundation.addingTimeInterval(3 * 3600))
            if !(nearAChange && (1...3).contains(local.hour ?? 0)) {
                #expect(BerlinDay.adding(duration, to: t) == foundation, "\(text) from \(t)")
                checked += 1
            }
            t = t.addingTimeInterval(37 * 3600)
        }
        #expect(checked > 900)
    }

    /// The longest validity is the later of the Berlin and the UTC sum, so consents whose expiry was counted in UTC
    /// before stay valid.
    @Test func latestEndIsTheLaterOfBothCalendars() throws {
        let year = ISODuration(years: 1)
        let berlinLater = Fixture.t("2027-02-28T23:30:00Z")   // 1 March 2027 in Berlin
        #expect(UTCDay.adding(year, to: berlinLater) == Fixture.t("2028-02-28T23:30:00Z"))
        #expect(year.latestEnd(from: berlinLater) == Fixture.t("2028-02-29T23:30:00Z"))
        let utcLater = Fixture.t("2028-02-28T23:30:00Z")      // 29 February 2028 in Berlin
        #expect(year.added(to: utcLater) == Fixture.t("2029-02-27T23:30:00Z"))
        #expect(year.latestEnd(from: utcLater) == Fixture.t("2029-02-28T23:30:00Z"))
        for start in [berlinLater, utcLater] {
            let latest = year.latestEnd(from: start)
            #expect(year.admits(end: latest, from: start))
            #expect(!year.admits(end: latest.addingTimeInterval(1), from: start))
        }
    }
}
