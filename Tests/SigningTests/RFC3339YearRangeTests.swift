import Foundation
import Testing
@testable import Signing

/// Times are read in the years 1900 to 9999 only (time review, findings 1–3): year 0000 became an instant in 1 BC
/// that crashed the audit log's formatter (and with it the web service), a date before 1583 was read in the Julian
/// calendar and logged as another day (`1582-10-10` as the 20th), and an offset that carried 31 December 9999 into
/// 10000 wrapped to year 0000 in the log's text comparisons.
@Suite struct RFC3339YearRangeTests {
    @Test(arguments: ["0000-01-01T00:00:00Z", "0001-01-01T00:00:00Z", "1582-10-10T00:00:00Z", "1500-02-29T00:00:00Z",
                      "1899-12-31T23:59:59Z", "1900-01-01T00:30:00+01:00", "9999-12-31T23:59:59-01:00", "9999-12-31T23:30:00.5-00:31"])
    func aTimeOutsideTheYearsIsRefusedAndNamedSo(_ text: String) {
        #expect(RFC3339.parse(text) == nil, "\(text)")
        #expect(RFC3339.isOutOfRange(text) == !text.hasPrefix("1500-02-29"), "\(text): 1500 was no leap year in the Gregorian calendar")
    }

    @Test(arguments: [("1900-01-01T00:00:00Z", -2_208_988_800.0), ("1900-01-01T01:00:00+01:00", -2_208_988_800),
                      ("9999-12-31T23:59:59Z", 253_402_300_799), ("9999-12-31T23:59:59+01:00", 253_402_297_199),
                      ("2026-03-29t01:30:00z", 1_774_747_800)])
    func aTimeInsideTheYearsIsReadAsWritten(_ text: String, _ seconds: Double) {
        #expect(RFC3339.parse(text)?.timeIntervalSince1970 == seconds, "\(text)")
        #expect(!RFC3339.isOutOfRange(text))
    }

    @Test(arguments: ["2026-02-30T00:00:00Z", "20260-01-01T00:00:00Z", "not a time"])
    func aMalformedTimeIsNotOutOfRange(_ text: String) {
        #expect(RFC3339.parse(text) == nil && !RFC3339.isOutOfRange(text))
    }

    @Test func upperCasedChangesOnlyRFC3339sLowerCaseLetters() {
        #expect(RFC3339.upperCased("2026-03-29t01:30:00z") == "2026-03-29T01:30:00Z")
        #expect(RFC3339.upperCased("2026-03-29T01:30:00+01:00") == "2026-03-29T01:30:00+01:00")
        #expect(RFC3339.upperCased("short") == "short")
    }
}
