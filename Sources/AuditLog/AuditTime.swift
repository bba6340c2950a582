import Foundation
import Signing

/// Entry times: RFC 3339 in UTC with whole seconds (`2026-11-25T10:00:00Z`), formatted without
/// Foundation's formatters because the export job stamps hundreds of thousands of entries.
public enum AuditTime {
    /// `date` as `YYYY-MM-DDTHH:MM:SSZ` (fractions truncated).
    public static func format(_ date: Date) -> String {
        var t = time_t(date.timeIntervalSince1970.rounded(.down))
        var tm = tm()
        gmtime_r(&t, &tm)
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
    /// (`2026-02-30`, hour 25), which Foundation's parser alone would roll over into another instant.
    public static func parse(_ text: String) -> Date? {
        guard RFC3339.fieldsInRange(text) else { return nil }
        return try? Date(text, strategy: .iso8601)
    }
}
