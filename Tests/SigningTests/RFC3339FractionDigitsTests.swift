import Foundation
import Testing
@testable import Signing

/// RFC 3339 allows a fraction of a second of any length; Foundation's parser reads at most nine digits. A tenth made a
/// valid time unreadable, and every form refused it as lying outside the years 1900–9999 (found by probing the service).
@Suite struct RFC3339FractionDigitsTests {
    @Test(arguments: [("2026-01-01T00:00:00.1234567890Z", 1_767_225_600.123),
                      ("2026-01-01T00:00:00.0000000000000Z", 1_767_225_600.0),
                      ("2026-01-01t01:00:00.98765432101234+01:00", 1_767_225_600.987),
                      ("2026-01-01T00:00:00.123456789Z", 1_767_225_600.123)])
    func aLongFractionIsReadToTheMillisecond(_ text: String, _ seconds: Double) throws {
        let date = try #require(RFC3339.parse(text), "\(text)")
        #expect(abs(date.timeIntervalSince1970 - seconds) < 0.001, "\(text): \(date.timeIntervalSince1970)")
        #expect(!RFC3339.isOutOfRange(text))
    }

    @Test(arguments: [("2026-01-01T00:00:00.1234567890Z", "2026-01-01T00:00:00.123456789Z"),
                      ("2026-01-01T00:00:00.123456789Z", "2026-01-01T00:00:00.123456789Z"),
                      ("2026-01-01T00:00:00.12345678901+02:00", "2026-01-01T00:00:00.123456789+02:00"),
                      ("2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z")])
    func onlyDigitsBeyondTheNinthAreCut(_ text: String, _ cut: String) {
        #expect(RFC3339.withFractionCut(text) == cut)
    }

    @Test(arguments: ["2026-01-01T00:00:00.Z", "2026-01-01T00:00:00.1234567890", "2026-13-01T00:00:00.1234567890Z"])
    func aMalformedTimeWithALongFractionIsStillRefused(_ text: String) {
        #expect(RFC3339.parse(text) == nil && !RFC3339.isOutOfRange(text), "\(text)")
    }
}
