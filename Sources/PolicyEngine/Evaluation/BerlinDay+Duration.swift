import Foundation

extension BerlinDay {
    /// `date` plus an ISO duration in the county's calendar: the same wall-clock time in Europe/Berlin, `years`
    /// and `months` later (clamped to the month's last day, as `Calendar` does), then `days` later.
    ///
    /// This is what "valid for one month" means to the person who signs at 00:30 on 1 March: until 00:30 on
    /// 1 April. Counted in the UTC calendar, that signature falls on 28 February and the month ends on
    /// 28 March, three days early. A wall-clock time that does not exist on the target day (the hour skipped
    /// when summer time starts) moves forward by that hour; one that occurs twice (the hour repeated in
    /// October) is its first occurrence, the earlier instant.
    public static func adding(_ duration: ISODuration, to date: Date) -> Date {
        let t = date.timeIntervalSince1970
        let spanStart = Double(table[0].start) + 86_400, spanEnd = tableEnd - 86_400
        guard t >= spanStart, t < spanEnd else { return foundationAdding(duration, to: date) }
        let local = t + Double(offset(at: Int64(t.rounded(.down))))
        let localDay = Int((local / 86_400).rounded(.down))
        let secondsIntoDay = local - Double(localDay) * 86_400
        let targetDay = UTCDay.days(adding: duration, toDay: localDay)
        let targetLocal = Double(targetDay) * 86_400 + secondsIntoDay
        guard targetLocal >= spanStart, targetLocal < spanEnd else { return foundationAdding(duration, to: date) }
        // The instant whose Berlin wall-clock time is `targetLocal`: the offset in force then is one of the
        // zone's two; the larger (summer time) is tried first, so a repeated hour gives its earlier instant.
        for candidate in offsetsLargestFirst {
            let instant = targetLocal - Double(candidate)
            if offset(at: Int64(instant.rounded(.down))) == candidate { return Date(timeIntervalSince1970: instant) }
        }
        // Skipped hour: read the wall-clock time with the offset before the jump, which lands after it.
        let before = offset(at: Int64((targetLocal - 86_400).rounded(.down)))
        return Date(timeIntervalSince1970: targetLocal - Double(before))
    }

    /// The zone's offsets in the table, largest first.
    static let offsetsLargestFirst: [Int32] = Array(Set(table.map(\.offset))).sorted(by: >)

    /// The same sum through `Calendar`, for instants and durations outside the table's span.
    static func foundationAdding(_ duration: ISODuration, to date: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.date(byAdding: DateComponents(year: duration.years, month: duration.months, day: duration.days),
                             to: date) ?? date
    }
}
