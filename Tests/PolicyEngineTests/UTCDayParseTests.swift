import Testing
@testable import PolicyEngine

/// `UTCDay.parse` reads exactly `YYYY-MM-DD` of ASCII digits (birth dates on the pages and in the API, bundle and test
/// dates). The fuzzing review found that a sign passed: `+999-01-01` was the year 999 and `2026-+1-05` January.
@Suite struct UTCDayParseTests {
    @Test(arguments: ["+999-01-01", "-999-01-01", "2026-+1-05", "2026-01-+5", "２０２６-01-05", "2026-1-05", "2026-01-5",
                      "2026/01/05", "2026-02-30", "2026-13-01", " 2026-01-05", "2026-01-05 ", "", "--", "0x12-01-01"])
    func notADate(_ text: String) {
        #expect(UTCDay.parse(text) == nil, "\(text)")
    }

    @Test(arguments: [("1970-01-01", 0), ("2026-01-05", 20_458), ("2024-02-29", 19_782), ("0999-12-31", -354_286)])
    func aDate(_ text: String, days: Int) {
        #expect(UTCDay.parse(text) == days)
        #expect(UTCDay.format(days) == text)
    }
}
