import Testing
@testable import AuditLog

/// The HTML access report shows its times in Berlin time. A consent's `granted-at`, `expires-at` and `withdrawn-at` are
/// logged as `RFC3339.format` writes them, with milliseconds when the instant has any (a consent granted "now", an
/// imported document dated so); those were not converted and stood in UTC among Berlin times.
@Suite struct SubjectReportFractionTimeTests {
    @Test func aTimeWithMillisecondsIsShownInBerlinTime() {
        let de = SubjectReport.timeHTML("2026-03-29T01:00:00.500Z", language: .de)
        #expect(de.contains(">29.03.2026, 03:00 MESZ<"), "\(de)")
        let en = SubjectReport.timeHTML("2026-10-25T00:59:59.999Z", language: .en)
        #expect(en.contains(">25 Oct 2026, 02:59 CEST<"), "\(en)")
    }

    @Test func theLastSundaysOfMarchAndOctober() {
        #expect(SubjectReport.timeHTML("2026-03-29T00:59:59Z", language: .de).contains(">29.03.2026, 01:59 MEZ<"))
        #expect(SubjectReport.timeHTML("2026-03-29T01:00:00Z", language: .de).contains(">29.03.2026, 03:00 MESZ<"))
        #expect(SubjectReport.timeHTML("2026-10-25T00:59:59Z", language: .de).contains(">25.10.2026, 02:59 MESZ<"))
        #expect(SubjectReport.timeHTML("2026-10-25T01:00:00Z", language: .de).contains(">25.10.2026, 02:00 MEZ<"))
    }
}
