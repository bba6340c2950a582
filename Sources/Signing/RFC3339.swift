import Foundation

/// RFC 3339 timestamps in UTC, the one time format ConsentGate stores and exchanges.
public enum RFC3339 {
    /// Formats in UTC as `2026-11-25T10:00:00Z`; an instant with a fraction of a second gets milliseconds
    /// (`…00.123Z`, truncated to the millisecond), never more digits.
    public static func format(_ date: Date) -> String {
        if let bytes = RFC3339Formatter.bytes(of: date) { return String(decoding: bytes, as: UTF8.self) }
        return foundationFormat(date)
    }

    /// Appends the UTF-8 bytes of `format(date)` to `out` (for writers that build JSON as bytes).
    public static func append(_ date: Date, to out: inout [UInt8]) {
        if !RFC3339Formatter.append(date, to: &out) { out.append(contentsOf: foundationFormat(date).utf8) }
    }

    /// `format` through Foundation's ISO 8601 style: the reference the hand-written formatter is tested
    /// against, and the formatter for instants outside the years 1900...9999.
    static func foundationFormat(_ date: Date) -> String {
        let t = date.timeIntervalSince1970
        if t == t.rounded(.down) {
            return date.formatted(.iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: false).timeSeparator(.colon).timeZone(separator: .omitted))
                .replacingOccurrences(of: "+0000", with: "Z")
        }
        return date.formatted(.iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: true).timeSeparator(.colon).timeZone(separator: .omitted))
            .replacingOccurrences(of: "+0000", with: "Z")
    }

    /// Parses an RFC 3339 timestamp with `Z` or a numeric offset, with or without fractional seconds; nil for
    /// anything else, also for fields out of range (`2026-02-30`, hour 25), which Foundation's ISO 8601 parser
    /// alone would roll over into a different, valid instant, and for a year outside `years` (`isOutOfRange`).
    /// RFC 3339 §5.6 allows `t` and `z` in lower case; Foundation's parser takes only `T`, so both are read as upper case.
    public static func parse(_ text: String) -> Date? {
        guard fieldsInRange(text), let year = Int(text.prefix(4)), years.contains(year) else { return nil }
        let upper = withFractionCut(upperCased(text))
        let parsed = (try? Date(upper, strategy: .iso8601)) ?? (try? Date(upper, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
        guard let parsed, parsed >= startOfYear1900, parsed < endOfYear9999 else { return nil }
        return parsed
    }

    /// The years a time may be written in: 1900 to 9999. Before 1583 Foundation reads a date in the Julian calendar
    /// (`1582-10-10` became the 20th, year 0000 an instant in 1 BC that crashed the audit log's formatter: time
    /// review, findings 1 and 3); after 9999 the four-digit year wraps (`…-01:00` on 31 December 9999 read as year
    /// 0000, and a filter answered the opposite). No consent, check or log entry of this programme lies outside.
    public static let years: ClosedRange<Int> = 1900...9999

    /// 1900-01-01T00:00:00Z: every time parsed lies at or after it (an offset may not carry 1900 back into 1899, which
    /// would be stored as a time no longer read).
    public static let startOfYear1900 = Date(timeIntervalSince1970: -2_208_988_800)

    /// 10000-01-01T00:00:00Z: every time parsed lies before it (an offset may not carry 9999 over into 10000).
    public static let endOfYear9999 = Date(timeIntervalSince1970: 253_402_300_800)

    /// Whether `text` is a well-formed time whose year (as written, or in UTC after its offset) lies outside
    /// `years`: so a message can say that instead of "not an RFC 3339 time".
    public static func isOutOfRange(_ text: String) -> Bool {
        fieldsInRange(text) && parse(text) == nil
    }

    /// `text` with RFC 3339's lower-case `t` and `z` as `T` and `Z` (what Foundation, and the audit log's text
    /// comparisons, expect); any other text as it is.
    public static func upperCased(_ text: String) -> String {
        var b = Array(text.utf8)
        guard b.count > 10 else { return text }
        if b[10] == UInt8(ascii: "t") { b[10] = UInt8(ascii: "T") }
        if b.last == UInt8(ascii: "z") { b[b.count - 1] = UInt8(ascii: "Z") }
        return String(decoding: b, as: UTF8.self)
    }

    /// `text` with a fraction of a second longer than nine digits cut to nine: RFC 3339 allows any number, Foundation's
    /// parser reads at most nine, and below a nanosecond no instant here differs (stored times keep milliseconds).
    /// Before, a tenth digit made `parse` fail and the time was refused as outside the years 1900–9999 (found by
    /// probing the service).
    public static func withFractionCut(_ text: String) -> String {
        let b = Array(text.utf8)
        guard b.count > 20, b[19] == UInt8(ascii: ".") else { return text }
        var end = 20
        while end < b.count, b[end] >= UInt8(ascii: "0"), b[end] <= UInt8(ascii: "9") { end += 1 }
        guard end - 20 > 9 else { return text }
        return String(decoding: b[..<29] + b[end...], as: UTF8.self)
    }

    /// Whether `text` would be a valid timestamp but for its second being a leap second (`23:59:60`): valid RFC 3339,
    /// which ConsentGate does not accept (an instant has no leap second here), so a message can say that instead of
    /// "not an RFC 3339 time".
    public static func isLeapSecond(_ text: String) -> Bool {
        var b = Array(text.utf8)
        // Only the last second of a minute 59 (of any hour: an offset moves UTC's 23:59:60 to another local hour).
        guard b.count >= 19, b[14] == UInt8(ascii: "5"), b[15] == UInt8(ascii: "9"),
              b[17] == UInt8(ascii: "6"), b[18] == UInt8(ascii: "0") else { return false }
        b[17] = UInt8(ascii: "5"); b[18] = UInt8(ascii: "9")
        return fieldsInRange(String(decoding: b, as: UTF8.self))
    }

    /// True when `text` has the shape of RFC 3339's `date-time` (`YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`) with
    /// every field in range: month 1–12, day within its month (leap years counted), hour ≤ 23, minute ≤ 59,
    /// second ≤ 59 (a leap second `:60` has no instant of its own here), offset ≤ 23:59.
    public static func fieldsInRange(_ text: String) -> Bool {
        let b = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= b.count else { return nil }
            var n = 0
            for i in range {
                guard b[i] >= UInt8(ascii: "0"), b[i] <= UInt8(ascii: "9") else { return nil }
                n = n * 10 + Int(b[i] - UInt8(ascii: "0"))
            }
            return n
        }
        func byte(_ i: Int, _ allowed: Unicode.Scalar...) -> Bool { i < b.count && allowed.contains { UInt8(ascii: $0) == b[i] } }
        guard let year = number(0..<4), byte(4, "-"), let month = number(5..<7), byte(7, "-"), let day = number(8..<10),
              byte(10, "T", "t"), let hour = number(11..<13), byte(13, ":"), let minute = number(14..<16), byte(16, ":"),
              let second = number(17..<19) else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard (1...12).contains(month), (1...days[month - 1]).contains(day), hour <= 23, minute <= 59, second <= 59 else { return false }
        var i = 19
        if byte(i, ".") {
            i += 1
            let start = i
            while i < b.count, b[i] >= UInt8(ascii: "0"), b[i] <= UInt8(ascii: "9") { i += 1 }
            guard i > start else { return false }
        }
        if byte(i, "Z", "z") { return i + 1 == b.count }
        guard byte(i, "+", "-"), let offsetHours = number(i + 1..<i + 3), byte(i + 3, ":"), let offsetMinutes = number(i + 4..<i + 6),
              i + 6 == b.count else { return false }
        return offsetHours <= 23 && offsetMinutes <= 59
    }
}
