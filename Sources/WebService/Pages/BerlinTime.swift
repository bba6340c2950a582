import Diagnostics
import Foundation
import PolicyEngine
import Signing

/// Times for people: stored and exchanged in UTC, shown in the county's zone, Europe/Berlin, with
/// the zone abbreviation (MEZ/MESZ, CET/CEST) so a printed page is unambiguous.
public enum BerlinTime {
    /// The zone every page shows times in.
    public static let zone = BerlinDay.zone

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

    /// `format` in both languages: what `CompiledPolicy.denialWords(for:consents:time:)` writes a time with on a page.
    public static func words(_ date: Date) -> LocalizedText {
        LocalizedText(de: format(date, language: .de), en: format(date, language: .en))
    }

    /// The day in Berlin of `date` as a `<time>` element (`07.12.2026` / `7 Dec 2026`, the UTC instant in `datetime`):
    /// for a consent's signing, which the paper gives as a day; its stored time of day (noon UTC for a form signed
    /// "today") read as the signing time ("13:00 MEZ", a time nobody entered: a review of the pages).
    public static func dayElement(_ date: Date, language: Language) -> HTML {
        "<time datetime=\"\(RFC3339.format(date))\">\(UTCDay.words(BerlinDay.day(of: date), language: language))</time>"
    }

    /// The HTML `<time>` element: machine-readable UTC in `datetime` (as stored: with milliseconds when the instant
    /// has any; Foundation's ISO 8601 formatter dropped them, so a page named another instant than the entry: time
    /// review, finding 6), Berlin time as text.
    public static func element(_ date: Date, language: Language) -> HTML {
        let iso = RFC3339.format(date)
        return "<time datetime=\"\(iso)\">\(format(date, language: language))</time>"
    }
}
