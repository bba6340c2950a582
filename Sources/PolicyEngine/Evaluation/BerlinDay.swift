import Foundation

/// The calendar day in the county (Europe/Berlin) at an instant, as `UTCDay` numbers days.
///
/// Ages and "today" are legal facts of the place the person lives in: someone is 18 from the first moment of
/// their 18th birthday in Germany (§ 187 Abs. 2 BGB), which is 22:00 or 23:00 UTC of the day before. Counting
/// on the UTC day made every decision in the first one or two hours of a German day, such as a nightly export
/// run at 00:30, use yesterday's ages. Times stay stored and exchanged in UTC; only the day they fall on is
/// taken in Berlin.
///
/// The zone's offsets come from the system's time-zone database (tzdata) once, as a table of transitions
/// from 1970 to 2100, so a look-up costs a binary search instead of a `Calendar` computation on the
/// evaluator's path; instants outside that span ask the time-zone database directly.
public enum BerlinDay {
    /// The county's zone.
    public static let zone = TimeZone(identifier: "Europe/Berlin")!

    /// The Berlin day (days since 1970-01-01) that `date` falls on.
    @inline(__always)
    public static func day(of date: Date) -> Int {
        let t = date.timeIntervalSince1970
        let seconds: Int
        if t >= Double(table[0].start), t < tableEnd {
            seconds = Int(offset(at: Int64(t.rounded(.down))))
        } else {
            seconds = zone.secondsFromGMT(for: date)
        }
        return Int(((t + Double(seconds)) / 86_400).rounded(.down))
    }

    /// The first instant of the Berlin day `day` (days since 1970-01-01): 23:00 or 22:00 UTC of the day before. What
    /// a date typed as a time bound (an audit query's `since`/`until`) means to people in the county.
    public static func start(ofDay day: Int) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = UTCDay.civil(day)
        return calendar.date(from: DateComponents(year: c.year, month: c.month, day: c.day))
            ?? Date(timeIntervalSince1970: Double(day) * 86_400)
    }

    /// The UTC offset in seconds at `seconds` since 1970 (inside the table's span).
    ///
    /// On every decision's path (ages, a consent's validity), so instead of a binary search: the table has a row per
    /// change of offset, two a year since 1980, so the row is guessed from the time by half years and found by a
    /// step or two from there (`BerlinDayTests` compares every hour against the zone).
    @inline(__always)
    static func offset(at seconds: Int64) -> Int32 {
        let rows = table
        var i = 1
        if seconds >= rows[1].start {
            i = min(rows.count - 1, 1 + Int((seconds - rows[1].start) / halfYear))
        } else {
            i = 0
        }
        while i + 1 < rows.count, rows[i + 1].start <= seconds { i += 1 }
        while i > 0, rows[i].start > seconds { i -= 1 }
        return rows[i].offset
    }

    /// Half a Gregorian year in seconds: the mean distance between two rows of the table after its first.
    static let halfYear: Int64 = 15_778_476

    /// From each `start` (seconds since 1970) on, until the next row's, the zone is `offset` seconds ahead of UTC.
    static let table: [(start: Int64, offset: Int32)] = {
        var rows: [(start: Int64, offset: Int32)] = [(0, Int32(zone.secondsFromGMT(for: Date(timeIntervalSince1970: 0))))]
        var at = Date(timeIntervalSince1970: 0)
        let end = Date(timeIntervalSince1970: tableEnd)
        while let next = zone.nextDaylightSavingTimeTransition(after: at), next < end {
            rows.append((Int64(next.timeIntervalSince1970.rounded(.down)), Int32(zone.secondsFromGMT(for: next))))
            at = next
        }
        return rows
    }()

    /// 2100-01-01T00:00:00Z: the end of the table's span.
    static let tableEnd: Double = 4_102_444_800
}
