import Foundation

/// RFC 3339 timestamps in UTC, the one time format ConsentGate stores and exchanges.
public enum RFC3339 {
    /// Formats as `2026-11-25T10:00:00Z` (fractional seconds only when present).
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

    /// Parses an RFC 3339 timestamp with `Z` or a numeric offset, with or without fractional seconds.
    public static func parse(_ text: String) -> Date? {
        if let d = try? Date(text, strategy: .iso8601) { return d }
        if let d = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return d }
        return nil
    }
}
