import Foundation
import PolicyEngine

/// A calendar date without time or zone, as registration lists hold them (birth, entry, consent dates).
public struct CivilDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The year (1900...2199).
    public let year: Int
    /// The month (1...12).
    public let month: Int
    /// The day of the month.
    public let day: Int

    /// A date, if it exists in the Gregorian calendar and lies in 1900...2199.
    public init?(year: Int, month: Int, day: Int) {
        guard (1900...2199).contains(year), (1...12).contains(month), day >= 1,
              day <= CivilDate.daysIn(month: month, year: year) else { return nil }
        self.year = year; self.month = month; self.day = day
    }

    /// Parses German `TT.MM.JJJJ` (day and month may have one digit, as Excel sometimes writes them)
    /// or ISO `JJJJ-MM-TT`, after trimming spaces. Two-digit years are refused as ambiguous.
    public init?(parsing text: String) {
        // Three runs of digits split by two equal separators ('.' or '-'); nothing else allowed, spaces and
        // tabs only around. Scanned in place (a list holds a date in most rows: no allocation per cell).
        var parts = (0, 0, 0), lengths = (0, 0, 0)
        var count = 0, value = 0, length = 0, separator: UInt8 = 0
        var started = false, ended = false
        for b in text.utf8 {
            if b == 0x20 || b == 0x09 {
                if started { ended = true }
                continue
            }
            guard !ended else { return nil }
            started = true
            if b >= 0x30 && b <= 0x39 {
                guard length < 4 else { return nil }
                value = value * 10 + Int(b - 0x30); length += 1
            } else if (b == 0x2E || b == 0x2D) && (separator == 0 || separator == b) && length > 0 && count < 2 {
                separator = b
                if count == 0 { parts.0 = value; lengths.0 = length } else { parts.1 = value; lengths.1 = length }
                count += 1; value = 0; length = 0
            } else {
                return nil
            }
        }
        guard count == 2, length > 0 else { return nil }
        parts.2 = value; lengths.2 = length
        if separator == 0x2E, (1...2).contains(lengths.0), (1...2).contains(lengths.1), lengths.2 == 4 {
            self.init(year: parts.2, month: parts.1, day: parts.0)
        } else if separator == 0x2D, lengths == (4, 2, 2) {
            self.init(year: parts.0, month: parts.1, day: parts.2)
        } else {
            return nil
        }
    }

    /// The county's calendar date at `date` (`BerlinDay`): a run's "today" for ages and birth dates in the future is
    /// the day in Germany, also in the first hours of a German day, when UTC still has the day before.
    public init(berlinDateOf date: Date) {
        let c = UTCDay.civil(BerlinDay.day(of: date))
        year = c.year; month = c.month; day = c.day
    }

    /// ISO 8601 `YYYY-MM-DD`.
    public var description: String {
        func pad(_ n: Int, _ w: Int) -> String { let s = String(n); return String(repeating: "0", count: max(0, w - s.count)) + s }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// Whole years from `self` to `date` (an age when `self` is a birth date).
    public func years(until date: CivilDate) -> Int {
        var y = date.year - year
        if (date.month, date.day) < (month, day) { y -= 1 }
        return y
    }

    /// Earlier day first.
    public static func < (a: CivilDate, b: CivilDate) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
