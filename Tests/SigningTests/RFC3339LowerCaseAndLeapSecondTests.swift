import Foundation
import Testing
@testable import Signing

/// RFC 3339 §5.6 allows `t` and `z` in lower case: both are read (found in a review of dates: `z` was taken and `t`
/// refused). A leap second is valid RFC 3339 but has no instant here: it is refused, and `isLeapSecond` lets the
/// message say so instead of "not an RFC 3339 time".
@Suite struct RFC3339LowerCaseAndLeapSecondTests {
    @Test(arguments: ["2026-03-29t01:30:00Z", "2026-03-29T01:30:00z", "2026-03-29t01:30:00z", "2026-03-29t02:30:00+01:00",
                      "2026-03-29t01:30:00.000z"])
    func lowerCaseTAndZAreTheSameInstant(_ text: String) throws {
        #expect(RFC3339.parse(text) != nil && RFC3339.parse(text) == RFC3339.parse("2026-03-29T01:30:00Z"), "\(text)")
    }

    @Test(arguments: [("2016-12-31T23:59:60Z", true), ("2026-06-30T23:59:60+02:00", true), ("2026-06-30t23:59:60.5z", true),
                      ("2026-06-30T23:59:59Z", false), ("2026-02-30T23:59:60Z", false), ("2026-06-30T23:59:61Z", false), ("2026-06-30T10:00:60Z", false),
                      ("2026-06-30T23:59:6", false)])
    func aLeapSecondIsRefusedAndRecognised(_ text: String, _ leap: Bool) {
        #expect(RFC3339.isLeapSecond(text) == leap, "\(text)")
        if leap { #expect(RFC3339.parse(text) == nil) }
    }
}
