import Diagnostics
import Foundation
import PolicyEngine

/// Times for people: stored and exchanged in UTC, shown in the county's zone, Europe/Berlin, with
/// the zone abbreviation (MEZ/MESZ, CET/CEST) so a printed page is unambiguous.
public enum BerlinTime {
    /// The zone every page shows times in.
    public static let zone = TimeZone(identifier: "Europe/Berlin")!

    /// `25.11.2026, 11:00 MEZ` (German) or `25 Nov 2026, 11:00 CET` (English).
    public static func format(_ date: Date, language: Language) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        let summer = zone.isDaylightSavingTime(for: date)
        let hm = String(format: "%02d:%02d", c.hour!, c.minute!)
        switch language {
        case .de:
            return String(format: "%02d.%02d.%04d", c.day!, c.month!, c.year!) + ", \(hm) " + (summer ? "MESZ" : "MEZ")
        case .en:
            let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
            return "\(c.day!) \(months[c.month! - 1]) \(c.year!), \(hm) " + (summer ? "CEST" : "CET")
        }
    }

    /// The first instant of the civil day `day` (days since 1970-01-01, as `UTCDay` counts them) in `zone`:
    /// a date typed into a page's date field means that day as the page shows times (Europe/Berlin), i.e. 23:00 or
    /// 22:00 UTC of the day before, not midnight UTC.
    public static func startOfDay(_ day: Int, in zone: TimeZone = zone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = UTCDay.civil(day)
        return calendar.date(from: DateComponents(year: c.year, month: c.month, day: c.day))
            ?? Date(timeIntervalSince1970: Double(day) * 86_400)
    }

    /// The HTML `<time>` element: machine-readable UTC in `datetime`, Berlin time as text.
    public static func element(_ date: Date, language: Language) -> HTML {
        let iso = ISO8601DateFormatter().string(from: date)
        return "<time datetime=\"\(iso)\">\(format(date, language: language))</time>"
    }
}
