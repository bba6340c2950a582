import Foundation

/// The UTC formatter behind `RFC3339.format`, written out by hand: civil date from the day count
/// (Howard Hinnant's days-to-civil algorithm), then fixed-width digits. Foundation's ISO 8601 format
/// style costs several microseconds per call and formats two to three times per decision; this gives
/// byte for byte the same text (tested against the Foundation style over many instants) in a fraction
/// of that, except for milliseconds a rounding error below their boundary (`milliseconds(ofFraction:at:)`),
/// which Foundation printed a millisecond early.
///
/// Instants outside 1900-01-01...9999-12-31 (where Foundation switches to the Julian calendar or to
/// five-digit years) are left to Foundation: `bytes(of:)` answers nil for them.
enum RFC3339Formatter {
    /// 2001-01-01T00:00:00Z (`Date`'s reference) in seconds since 1970.
    private static let referenceOffset: Int64 = 978_307_200
    /// 1900-01-01T00:00:00Z and 10000-01-01T00:00:00Z as seconds since the reference date.
    private static let lowest: Double = -3_187_296_000
    private static let beyond: Double = 252_423_993_600

    /// The UTF-8 bytes of `RFC3339.format(date)`, or nil outside the years 1900...9999.
    static func bytes(of date: Date) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(24)
        guard append(date, to: &out) else { return nil }
        return out
    }

    /// Appends `RFC3339.format(date)` to `out`; false (nothing appended) outside the years 1900...9999.
    static func append(_ date: Date, to out: inout [UInt8]) -> Bool {
        // The same choice as the Foundation path: whole seconds when the Unix time has no fraction.
        let t = date.timeIntervalSince1970
        let fractional = t != t.rounded(.down)
        // Fields from the stored value (seconds since 2001), as Foundation's calendar computes them.
        let r = date.timeIntervalSinceReferenceDate
        guard r >= lowest, r < beyond else { return false }
        let whole = r.rounded(.down)
        let seconds = Int64(whole) + referenceOffset
        var days = seconds / 86_400
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 { secondOfDay += 86_400; days -= 1 }
        let (year, month, day) = civil(daysSince1970: days)
        put(year, 4, &out); out.append(0x2D); put(month, 2, &out); out.append(0x2D); put(day, 2, &out)
        out.append(0x54)
        put(secondOfDay / 3600, 2, &out); out.append(0x3A)
        put(secondOfDay / 60 % 60, 2, &out); out.append(0x3A)
        put(secondOfDay % 60, 2, &out)
        if fractional {
            out.append(0x2E)
            put(milliseconds(ofFraction: r - whole, at: r), 3, &out)
        }
        out.append(0x5A)
        return true
    }

    /// The milliseconds to print for `fraction` (0 ≤ fraction < 1, the part of the second of the instant `r`, in
    /// seconds since 2001): truncated, as Foundation does, except that an instant a rounding error below a millisecond
    /// boundary counts as that boundary. A parsed `…41.938Z` is stored as 41.93799996… (a `Date` is a binary double),
    /// which Foundation's truncation printed as `…41.937Z`: a decision asked for `--at …41.938Z` was logged a
    /// millisecond early, and a text did not survive parsing and printing. The tolerance is half a microsecond, or four
    /// units in the last place of `r` where a double is coarser (far from 2001): below a millisecond either way.
    static func milliseconds(ofFraction fraction: Double, at r: Double) -> Int64 {
        let tolerance = max(5e-7, 4 * r.ulp)
        return min(Int64(((fraction + tolerance) * 1000).rounded(.down)), 999)
    }

    /// Year, month (1-12) and day (1-31) of the proleptic Gregorian calendar for a day count since 1970-01-01.
    static func civil(daysSince1970 z0: Int64) -> (Int64, Int64, Int64) { CivilCalendar.civil(daysSince1970: z0) }

    private static func put(_ value: Int64, _ width: Int, _ out: inout [UInt8]) {
        var digits: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
        var v = value
        withUnsafeMutableBytes(of: &digits) { d in
            for i in stride(from: width - 1, through: 0, by: -1) { d[i] = UInt8(truncatingIfNeeded: v % 10) + 0x30; v /= 10 }
            out.append(contentsOf: d.prefix(width))
        }
    }
}
