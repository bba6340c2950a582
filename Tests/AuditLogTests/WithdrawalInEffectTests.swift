import Foundation
import Signing
import Testing
@testable import AuditLog

/// `SubjectReport.counts`: whether a withdrawal had taken effect for a row, by whole seconds as entries are logged. A
/// withdrawal recorded "now" (its time cut to the second it is logged in) counts in that second only for rows logged after
/// it; one entered later for an earlier time (a letter entered late) counts from its second (review of session 35, L4).
@Suite struct WithdrawalInEffectTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var effective: String, recordedAt: String, recordedIndex: Int64, row: String, rowIndex: Int64, counts: Bool
        var testDescription: String { "withdrawn from \(effective) (logged \(recordedAt), #\(recordedIndex)); row \(row) #\(rowIndex)" }
    }

    static let cases: [Case] = [
        Case(effective: "2026-02-01T10:00:00Z", recordedAt: "2026-03-01T09:00:00Z", recordedIndex: 50, row: "2026-02-01T10:00:01Z", rowIndex: 10, counts: true),
        Case(effective: "2026-02-01T10:00:00Z", recordedAt: "2026-03-01T09:00:00Z", recordedIndex: 50, row: "2026-02-01T10:00:00Z", rowIndex: 10, counts: true),
        Case(effective: "2026-02-01T10:00:00Z", recordedAt: "2026-03-01T09:00:00Z", recordedIndex: 50, row: "2026-02-01T09:59:59Z", rowIndex: 10, counts: false),
        // Recorded now: a release earlier in the same second came before it; one after it did not.
        Case(effective: "2026-02-01T10:00:00Z", recordedAt: "2026-02-01T10:00:00Z", recordedIndex: 50, row: "2026-02-01T10:00:00Z", rowIndex: 49, counts: false),
        Case(effective: "2026-02-01T10:00:00Z", recordedAt: "2026-02-01T10:00:00Z", recordedIndex: 50, row: "2026-02-01T10:00:00Z", rowIndex: 51, counts: true),
        Case(effective: "2026-02-01T10:00:00.500Z", recordedAt: "2026-02-01T10:00:00Z", recordedIndex: 50, row: "2026-02-01T10:00:00Z", rowIndex: 49, counts: false),
        Case(effective: "2026-02-01T10:00:00.500Z", recordedAt: "2026-02-01T10:00:00Z", recordedIndex: 50, row: "2026-02-01T10:00:01Z", rowIndex: 51, counts: true),
    ]

    @Test(arguments: cases)
    func counts(_ c: Case) throws {
        let effective = try #require(RFC3339.parse(c.effective)), moment = try #require(RFC3339.parse(c.row))
        #expect(SubjectReport.counts(effective, recordedAt: c.recordedAt, recordedIndex: c.recordedIndex, against: moment, index: c.rowIndex) == c.counts)
    }
}
