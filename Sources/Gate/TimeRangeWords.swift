import Diagnostics
import PolicyEngine
import Signing

/// Why a well-formed time or date is still refused: its year lies outside `RFC3339.years`. Said the same way by the
/// command line and the API, so a slip of the year (`0026`, `20260`) is named as such instead of "not a time".
public enum TimeRangeWords {
    /// The reason for `text` (an RFC 3339 time or a date `YYYY-MM-DD`), or nil when its year is not the problem. A
    /// leap second (`23:59:60`, valid RFC 3339 that ConsentGate does not take) is named here too, so the command line,
    /// the audit filters and the API say it alike (the API alone did: time review L5).
    public static func outOfRange(_ text: String) -> LocalizedText? {
        if RFC3339.isLeapSecond(text) {
            return LocalizedText(de: "\"\(text)\": eine Schaltsekunde (:60) wird nicht angenommen; bitte :59 angeben",
                                 en: "\"\(text)\": a leap second (:60) is not accepted; give :59")
        }
        let time = UTCDay.parse(text) != nil ? text + "T00:00:00Z" : text
        guard RFC3339.isOutOfRange(time) else { return nil }
        let (first, last) = (RFC3339.years.lowerBound, RFC3339.years.upperBound)
        // Both: `1899-12-31T23:30:00-01:00` is 1900 in UTC and still refused, for its year as written ("(UTC)" alone
        // told the user it should have passed: time review L5).
        return LocalizedText(de: "\"\(text)\": nur Zeiten der Jahre \(first) bis \(last), wie geschrieben und in UTC, werden angenommen",
                             en: "\"\(text)\": only times in the years \(first) to \(last), as written and in UTC, are accepted")
    }
}
