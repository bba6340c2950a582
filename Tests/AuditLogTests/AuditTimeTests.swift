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
