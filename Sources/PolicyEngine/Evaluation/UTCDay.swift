import Diagnostics
import Foundation
import Signing

/// Calendar arithmetic on UTC days without `Calendar` (which is slow and allocates): days since 1970-01-01,
/// civil dates, whole-year ages and ISO durations. Algorithms from H. Hinnant, "chrono-compatible low-level
/// date algorithms".
public enum UTCDay {
    /// The UTC day `date` falls on.
    @inline(__always)
    public static func day(of date: Date) -> Int {
        Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
    }

    /// Days since 1970-01-01 for a civil date (proleptic Gregorian).
    public static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The civil date of a day number.
    @inline(__always)
    public static func civil(_ z0: Int) -> (year: Int, month: Int, day: Int) {
        let c = CivilCalendar.civil(daysSince1970: Int64(z0))
        return (Int(c.year), Int(c.month), Int(c.day))
    }

    /// A day as people read it: `07.12.2026` in German, `7 Dec 2026` in English (messages for pages say days this way,
    /// not as ISO `2026-12-07`).
    public static func words(_ day: Int, language: Language) -> String {
        let c = civil(day)
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return language == .de ? String(format: "%02d.%02d.%04d", c.day, c.month, c.year) : "\(c.day) \(months[c.month - 1]) \(c.year)"
    }

    /// Whole years completed between the birth day and the day `at` (the age on that day).
    @inline(__always)
    public static func age(birthDay: Int, on day: Int) -> Int {
        let b = civil(birthDay), t = civil(day)
        var years = t.year - b.year
        if (t.month, t.day) < (b.month, b.day) { years -= 1 }
        return years
    }

    /// Parses `YYYY-MM-DD` (the date form used in bundles and tests); nil if it is not a real calendar day. Only
    /// ASCII digits count: `Int` alone would also read a sign (`+999-01-01` as the year 999, `2026-+1-05`).
    public static func parse(_ text: String) -> Int? {
        guard text.utf8.allSatisfy({ (0x30...0x39).contains($0) || $0 == 0x2D }) else { return nil }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (1...12).contains(m), (1...31).contains(d) else { return nil }
        let n = days(year: y, month: m, day: d)
        let back = civil(n)
        guard back.year == y, back.month == m, back.day == d else { return nil }
        return n
    }

    /// `YYYY-MM-DD` for a day number.
    public static func format(_ day: Int) -> String {
        let c = civil(day)
        func pad(_ v: Int, _ w: Int) -> String { let s = String(v); return String(repeating: "0", count: max(0, w - s.count)) + s }
        return "\(pad(c.year, 4))-\(pad(c.month, 2))-\(pad(c.day, 2))"
    }

    /// `date` plus an ISO duration in the UTC calendar (months clamp to the month's last day, as `Calendar` does).
    /// Consents recorded before expiries were counted in the county's calendar (`BerlinDay.adding`) have their
    /// `expires-at` counted this way, so the longest validity a consent may have is the later of the two
    /// (`ISODuration.latestEnd(from:)`).
    public static func adding(_ duration: ISODuration, to date: Date) -> Date {
        let t = date.timeIntervalSince1970
        let dayNumber = day(of: date)
        let secondsIntoDay = t - Double(dayNumber) * 86_400
        return Date(timeIntervalSince1970: Double(days(adding: duration, toDay: dayNumber)) * 86_400 + secondsIntoDay)
    }

    /// The day `duration` after `day` in the proleptic Gregorian calendar: years and months first (clamped to
    /// the month's last day), then days.
    public static func days(adding duration: ISODuration, toDay day: Int) -> Int {
        var c = civil(day)
        let totalMonths = c.year * 12 + (c.month - 1) + duration.years * 12 + duration.months
        c.year = totalMonths >= 0 ? totalMonths / 12 : (totalMonths - 11) / 12
        c.month = totalMonths - c.year * 12 + 1
        let monthLength = days(year: c.month == 12 ? c.year + 1 : c.year, month: c.month == 12 ? 1 : c.month + 1, day: 1)
            - days(year: c.year, month: c.month, day: 1)
        return days(year: c.year, month: c.month, day: min(c.day, monthLength)) + duration.days
    }
}
