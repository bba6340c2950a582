import Diagnostics
import Foundation
import Signing

extension SubjectReport {
    /// The county's zone, in which the printed report shows times (as the DPO's web page and the statistics do).
    static let berlin = TimeZone(identifier: "Europe/Berlin")!

    /// A logged time (RFC 3339 UTC) as the person reads it in the printed report: the county's local time with its zone,
    /// `05.12.2026, 15:21 MEZ` (German) or `5 Dec 2026, 15:21 CET` (English), in an HTML `<time>` element whose
    /// `datetime` keeps the exact UTC time of the log. Before 2026-12-05 the report printed `2026-12-05T14:21:41Z`, which
    /// a data subject reads as 14:21 local time (an hour off in winter, two in summer), while the DPO's web page showed
    /// the same entries in Berlin time. A text that is not such a time is shown as it is. The JSON keeps UTC.
    static func timeHTML(_ rfc3339: String, language: Language) -> String {
        // RFC3339.parse, not ISO8601DateFormatter: a consent's times carry milliseconds when the instant has any
        // (`RFC3339.format`), which the formatter's default options refuse (SubjectReportFractionTimeTests).
        guard let date = RFC3339.parse(rfc3339) else { return HTML.escape(rfc3339) }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = Self.berlin
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        guard let year = c.year, let month = c.month, let day = c.day, let hour = c.hour, let minute = c.minute else {
            return HTML.escape(rfc3339)
        }
        let summer = Self.berlin.isDaylightSavingTime(for: date)
        let hm = String(format: "%02d:%02d", hour, minute)
        let text: String
        switch language {
        case .de: text = String(format: "%02d.%02d.%04d", day, month, year) + ", \(hm) " + (summer ? "MESZ" : "MEZ")
        case .en:
            let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
            text = "\(day) \(months[month - 1]) \(year), \(hm) " + (summer ? "CEST" : "CET")
        }
        return "<time datetime=\"\(HTML.escape(rfc3339))\">\(HTML.escape(text))</time>"
    }

    /// The moment a decision was made for (`decidedFor`, its `at`), when it lies more than `asOfTolerance` from the
    /// time it was logged; nil otherwise, or when either is not a time.
    public static func asOf(decidedFor: String, loggedAt: String) -> String? {
        guard let at = RFC3339.parse(decidedFor), let logged = RFC3339.parse(loggedAt),
              abs(at.timeIntervalSince(logged)) > asOfTolerance else { return nil }
        return decidedFor
    }
}
