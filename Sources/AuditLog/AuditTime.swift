import Foundation
import Signing

/// Entry times: RFC 3339 in UTC with whole seconds (`2026-11-25T10:00:00Z`), formatted without
/// Foundation's formatters because the export job stamps hundreds of thousands of entries.
public enum AuditTime {
    /// `date` as `YYYY-MM-DDTHH:MM:SSZ` (fractions truncated).
    /// A time outside the years 0–9999 (none parsed from input is: `RFC3339.years`) is written by Foundation
    /// instead of trapping on its sign or wrapping its fifth digit.
    public static func format(_ date: Date) -> String {
        var t = time_t(date.timeIntervalSince1970.rounded(.down))
        var tm = tm()
        gmtime_r(&t, &tm)
        guard (0...9999).contains(Int(tm.tm_year) + 1900) else { return RFC3339.format(Date(timeIntervalSince1970: Double(t))) }
        var b: [UInt8] = Array(repeating: 0, count: 20)
        func put(_ v: Int32, _ at: Int, _ width: Int) {
            var v = v
            for i in stride(from: at + width - 1, through: at, by: -1) { b[i] = UInt8(v % 10) + 0x30; v /= 10 }
        }
        put(tm.tm_year + 1900, 0, 4); b[4] = 0x2D; put(tm.tm_mon + 1, 5, 2); b[7] = 0x2D; put(tm.tm_mday, 8, 2)
        b[10] = 0x54; put(tm.tm_hour, 11, 2); b[13] = 0x3A; put(tm.tm_min, 14, 2); b[16] = 0x3A; put(tm.tm_sec, 17, 2)
        b[19] = 0x5A
        return String(decoding: b, as: UTF8.self)
    }

    /// Whether `text` has exactly the form `format` writes (UTC, `Z`, whole seconds, valid ranges).
    public static func isValid(_ text: String) -> Bool {
        let u = Array(text.utf8)
        guard u.count == 20, u[4] == 0x2D, u[7] == 0x2D, u[10] == 0x54, u[13] == 0x3A, u[16] == 0x3A, u[19] == 0x5A else { return false }
        for i in [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18] where !(0x30...0x39).contains(u[i]) { return false }
        return parse(text) != nil
    }

    /// Parses a time written by `format` (or any RFC 3339 time) into a `Date`; nil for fields out of range
    /// (`2026-02-30`, hour 25), which Foundation's parser alone would roll over into another instant, and for a year
    /// before 1583 (Foundation's Julian calendar) or after 9999. Wider than `RFC3339.parse`'s years: the start of a
    /// Berlin day of 1 January 1900 is written 1899-12-31T23:00:00Z and read back here.
    public static func parse(_ text: String) -> Date? {
        guard RFC3339.fieldsInRange(text), let year = Int(text.prefix(4)), (1583...9999).contains(year),
              let date = try? Date(RFC3339.withFractionCut(RFC3339.upperCased(text)), strategy: .iso8601), date < RFC3339.endOfYear9999 else { return nil }
        return date
    }
}
