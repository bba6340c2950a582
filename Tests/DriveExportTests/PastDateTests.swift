import Foundation
import Testing
@testable import DriveExport

/// An entry date (and the day a consent was signed or a row recorded) after the run's day is a typing mistake (2030 for
/// 2023) and is quarantined as `date-in-future` with its column; before, `Einreisedatum 01.01.2030` went to the
/// Ausländerbehörde (a review of dates, session 40). The run's day is the Berlin day, as for birth dates.
@Suite struct PastDateTests {
    /// The reasons for one row entered on `entry`, read at `now` with the shipped policy's schema.
    static func reasons(entry: String, now: String) throws -> [QuarantineReason] {
        let inst = try ExportHarness.open("past-dates")
        defer { inst.remove() }
        let plan = try ExportPlan(policy: inst.gate.policy)
        let text = "Fall-ID;Kommune;Geburtsdatum;Einreisedatum\r\nRSK-2022-000001;Siegburg;02.01.1968;\(entry)\r\n"
        let mapping = HeaderMapping(fieldsByHeader: ["Fall-ID": "case.id", "Kommune": "case.municipality", "Geburtsdatum": "birth.date",
                                                     "Einreisedatum": "residence.entry-date"])
        let csv = try CSVRecordReader(source: MemoryByteSource(Array(text.utf8)), fileName: "entry.csv")
        let reader = try RegistrationListReader(csv: csv, mapping: mapping, schema: plan.schema, now: ISO8601DateFormatter().date(from: now)!)
        guard let row = try reader.next() else { Issue.record("no row"); return [] }
        if case .quarantined(let q) = row { return q.reasons }
        return []
    }

    @Test(arguments: [
        ("01.01.2030", "2026-01-14T23:30:00Z", true),
        ("15.01.2026", "2026-01-14T23:30:00Z", false),   // 00:30 on the 15th in Berlin: today
        ("15.01.2026", "2026-01-14T22:30:00Z", true),    // 23:30 on the 14th in Berlin: tomorrow
        ("05.04.2022", "2026-01-14T23:30:00Z", false),
    ])
    func anEntryDateAfterTheRunsDayIsQuarantined(entry: String, now: String, quarantined: Bool) throws {
        let reasons = try Self.reasons(entry: entry, now: now)
        if quarantined {
            #expect(reasons.map(\.code) == [.dateInFuture], "\(reasons)")
            #expect(reasons.first?.columnName == "Einreisedatum" && reasons.first?.columnNumber == 4)
            #expect(reasons.first?.text.en.contains("date is in the future (after the day of the export)") == true)
            #expect(reasons.first?.text.de.contains("Datum liegt in der Zukunft") == true)
        } else {
            #expect(reasons.isEmpty, "\(reasons)")
        }
    }

    /// The shipped policy's past-event dates are the three it has; a policy without such a field has none.
    @Test func theShippedPolicysPastDates() throws {
        let inst = try ExportHarness.open("past-dates-plan")
        defer { inst.remove() }
        #expect(try ExportPlan(policy: inst.gate.policy).schema.pastDateFields == ["residence.entry-date", "consent.granted-on", "record.recorded-on"])
    }
}
