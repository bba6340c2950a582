/// The proleptic Gregorian calendar on day counts, without `Calendar` (slow, allocating): the one
/// days-to-civil implementation (H. Hinnant, "chrono-compatible low-level date algorithms") that the RFC 3339
/// formatter here and the policy engine's `UTCDay` both use. Lives in `Signing`, the lowest module with dates.
public enum CivilCalendar {
    /// Year, month (1-12) and day (1-31) for a count of days since 1970-01-01 (negative before).
    @inlinable
    public static func civil(daysSince1970 z0: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}
