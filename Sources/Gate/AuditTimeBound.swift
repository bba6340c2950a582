import AuditLog
import Foundation
import PolicyEngine
import Signing

/// A `since`/`until` bound of an audit query as people give it, read the same way by the CLI, the API and the
/// pages: an RFC 3339 time as given, or a date `YYYY-MM-DD` meaning the first instant of that day in Germany
/// (Europe/Berlin, `BerlinDay`), the zone the pages show times in and `audit stats` counts months in. So
/// `--since 2026-11-01 --until 2026-12-01` is exactly November as the county's statistics count it.
public enum AuditTimeBound {
    /// The bound as the log's query compares it (an RFC 3339 time), or nil when `value` is neither an RFC 3339
    /// time nor a real calendar date (2026-99-99 and 2026-02-30T00:00:00Z are neither).
    /// Either form must lie in `RFC3339.years` (year 0000 crashed the log's formatter; 10000 wrapped to 0000). A
    /// time in RFC 3339's lower-case form (`t`, `z`) is read as the upper-case one, as `check --at` reads it.
    public static func parse(_ value: String) -> String? {
        if RFC3339.parse(value) != nil { return RFC3339.upperCased(value) }
        guard let day = UTCDay.parse(value), RFC3339.parse(value + "T00:00:00Z") != nil else { return nil }
        return AuditTime.format(BerlinDay.start(ofDay: day))
    }

    /// Whether `since` (inclusive) and `until` (exclusive), both bounds as `parse` gives them, leave no time between
    /// them: a period given the wrong way round (or of no length) that would otherwise answer "nothing recorded".
    public static func isEmptyPeriod(since: String?, until: String?) -> Bool {
        guard let since = since.flatMap(AuditTime.parse), let until = until.flatMap(AuditTime.parse) else { return false }
        return since >= until
    }
}
