import Foundation
import Gate
import Testing

/// A date typed as an audit query bound is the start of that day in Germany, in the CLI, the API and the pages alike,
/// so `--since 2026-11-01 --until 2026-12-01` is exactly the month `audit stats` counts as November.
@Suite struct AuditTimeBoundTests {
    @Test(arguments: [
        ("2026-11-25", "2026-11-24T23:00:00Z"),            // winter: UTC+1
        ("2026-07-25", "2026-07-24T22:00:00Z"),            // summer: UTC+2
        ("2026-03-29", "2026-03-28T23:00:00Z"),            // the day summer time starts: its midnight is still winter
        ("2026-10-26", "2026-10-25T23:00:00Z"),            // the day after it ends
        ("2026-11-25T10:00:00Z", "2026-11-25T10:00:00Z"),  // a time is taken as given
        ("2026-11-25T10:00:00+01:00", "2026-11-25T10:00:00+01:00"),
    ])
    func aDateIsItsStartInBerlin(_ value: String, _ bound: String) {
        #expect(AuditTimeBound.parse(value) == bound)
    }

    @Test(arguments: ["yesterday", "2026-02-30", "2026-99-99", "2026-02-30T00:00:00Z", "25.11.2026", ""])
    func anythingElseIsRefused(_ value: String) {
        #expect(AuditTimeBound.parse(value) == nil)
    }
}
