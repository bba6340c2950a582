import Diagnostics
import PolicyEngine
import Signing

/// Why a well-formed time or date is still refused: its year lies outside `RFC3339.years`. Said the same way by the
/// command line and the API, so a slip of the year (`0026`, `20260`) is named as such instead of "not a time".
public enum TimeRangeWords {
    /// The reason for `text` (an RFC 3339 time or a date `YYYY-MM-DD`), or nil when its year is not the problem.
    public static func outOfRange(_ text: String) -> LocalizedText? {
        let time = UTCDay.parse(text) != nil ? text + "T00:00:00Z" : text
        guard RFC3339.isOutOfRange(time) else { return nil }
        let (first, last) = (RFC3339.years.lowerBound, RFC3339.years.upperBound)
        return LocalizedText(de: "\"\(text)\": nur Zeiten der Jahre \(first) bis \(last) (UTC) werden angenommen",
                             en: "\"\(text)\": only times in the years \(first) to \(last) (UTC) are accepted")
    }
}
