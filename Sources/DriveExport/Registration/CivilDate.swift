import Foundation

/// A calendar date without time or zone, as registration lists hold them (birth, entry, consent dates).
public struct CivilDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
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
        let t = text.trimmingSpaces
        let u = Array(t.utf8)
        func number(_ s: ArraySlice<UInt8>) -> Int? {
            guard !s.isEmpty, s.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
            return s.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        }
        let dot = u.split(separator: 0x2E, omittingEmptySubsequences: false)
        if dot.count == 3, (1...2).contains(dot[0].count), (1...2).contains(dot[1].count), dot[2].count == 4,
           let d = number(dot[0]), let m = number(dot[1]), let y = number(dot[2]) {
            self.init(year: y, month: m, day: d)
            return
        }
        let dash = u.split(separator: 0x2D, omittingEmptySubsequences: false)
        if dash.count == 3, dash[0].count == 4, dash[1].count == 2, dash[2].count == 2,
           let y = number(dash[0]), let m = number(dash[1]), let d = number(dash[2]) {
            self.init(year: y, month: m, day: d)
            return
        }
        return nil
    }

    /// The UTC calendar date of `date` (ConsentGate keeps times in UTC).
    public init(utcDateOf date: Date) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        year = c.year!; month = c.month!; day = c.day!
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

    public static func < (a: CivilDate, b: CivilDate) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
