import Foundation
import Testing
@testable import DriveExport

/// The export's "today" (birth dates in the future, the school-age households) is the run's day in Germany: a
/// nightly run at 00:30 in Berlin is 23:30 UTC of the day before, and must not count with yesterday's date.
@Suite struct RunDayTests {
    /// A list of one row born on `birth`, read at `now`; true when the row is valid.
    static func accepted(birth: String, now: String) throws -> Bool {
        let text = "Fall-ID;Kommune;Geburtsdatum\r\nRSK-1;Siegburg;\(birth)\r\n"
        let mapping = HeaderMapping(fieldsByHeader: ["Fall-ID": "case.id", "Kommune": "municipality", "Geburtsdatum": "birth.date"])
        let csv = try CSVRecordReader(source: MemoryByteSource(Array(text.utf8)), fileName: "day.csv")
        let reader = try RegistrationListReader(csv: csv, mapping: mapping, schema: TestSupport.schema,
                                                now: ISO8601DateFormatter().date(from: now)!)
        guard let row = try reader.next() else { return false }
        if case .quarantined(let q) = row { #expect(q.reasons.map(\.code) == [.birthDateInFuture]); return false }
        return true
    }

    @Test("a child born today in Germany is no birth date in the future", arguments: [
        ("15.01.2026", "2026-01-14T23:30:00Z", true),    // 00:30 on the 15th in Berlin (winter)
        ("15.01.2026", "2026-01-14T22:30:00Z", false),   // 23:30 on the 14th in Berlin
        ("15.07.2026", "2026-07-14T22:30:00Z", true),    // 00:30 on the 15th in Berlin (summer)
        ("15.07.2026", "2026-07-14T21:30:00Z", false),
    ])
    func birthToday(birth: String, now: String, valid: Bool) throws {
        #expect(try Self.accepted(birth: birth, now: now) == valid)
    }

    @Test func theRunsDateIsTheBerlinDate() {
        let utc = ISO8601DateFormatter()
        #expect(CivilDate(berlinDateOf: utc.date(from: "2026-01-14T23:30:00Z")!) == CivilDate(year: 2026, month: 1, day: 15))
        #expect(CivilDate(berlinDateOf: utc.date(from: "2026-01-14T22:59:59Z")!) == CivilDate(year: 2026, month: 1, day: 14))
        // A child turning 6 on that day counts as school age from the first minute of the Berlin day.
        let birth = CivilDate(year: 2020, month: 1, day: 15)!
        #expect(birth.years(until: CivilDate(berlinDateOf: utc.date(from: "2026-01-14T23:30:00Z")!)) == 6)
    }
}
