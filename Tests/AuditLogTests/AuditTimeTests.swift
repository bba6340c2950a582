import Foundation
import Testing
@testable import AuditLog

/// Entry times: written in one fixed form, and read back only when every field is in range (Foundation's
/// parser alone rolls `2026-02-30` over to 2 March, so an entry or a filter would name another instant).
@Suite struct AuditTimeTests {
    @Test(arguments: ["2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "2026-01-01T25:00:00Z", "2026-01-01T10:60:00Z",
                      "2026-01-01T10:00:60Z", "2025-02-29T00:00:00Z"])
    func outOfRangeFieldsAreRefused(_ text: String) {
        #expect(AuditTime.parse(text) == nil)
        #expect(!AuditTime.isValid(text))
    }

    @Test(arguments: ["2024-02-29T23:59:59Z", "2026-12-31T00:00:00Z", "1970-01-01T00:00:00Z"])
    func inRangeTimesRoundTrip(_ text: String) throws {
        let date = try #require(AuditTime.parse(text))
        #expect(AuditTime.format(date) == text)
        #expect(AuditTime.isValid(text))
    }
}

/// `AuditTime.format` is total: a time outside the years 0–9999 is written by Foundation instead of trapping on a
/// negative year (year 0000 from a `since` crashed the web service: time review, finding 1) or dropping a fifth digit.
@Suite struct AuditTimeTotalityTests {
    @Test(arguments: [(-62_198_755_200.0, "-"), (253_402_300_800, "10000-01-01T00:00:00"), (253_402_304_399, "10000-01-01T00:59:59")])
    func aTimeOutsideFourDigitYearsIsFormattedNotTrapped(_ seconds: Double, _ prefix: String) {
        let text = AuditTime.format(Date(timeIntervalSince1970: seconds))
        #expect(text.hasPrefix(prefix) && text.hasSuffix("Z"), "\(text)")
    }

    @Test(arguments: ["1582-10-10T00:00:00Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59-01:00"])
    func theLogsParserRefusesJulianAndWrappedYears(_ text: String) {
        #expect(AuditTime.parse(text) == nil, "\(text)")
    }

    @Test func theStartOfABerlinDayIn1900IsReadBack() {
        #expect(AuditTime.parse("1899-12-31T23:00:00Z")?.timeIntervalSince1970 == -2_208_992_400)
    }

    /// RFC 3339 allows any number of fraction digits; a tenth made a filter's `--since` unreadable, named as an "audit
    /// entry" field (found by probing the command line).
    @Test(arguments: ["2026-12-07T00:00:00.0000000001Z", "2026-12-07T00:00:00.1234567890123Z", "2026-12-07T01:00:00.12345678901+01:00"])
    func aLongFractionIsRead(_ text: String) throws {
        let date = try #require(AuditTime.parse(text), "\(text)")
        #expect(abs(date.timeIntervalSince1970 - 1_796_601_600) < 1, "\(text): \(date.timeIntervalSince1970)")
    }
}
