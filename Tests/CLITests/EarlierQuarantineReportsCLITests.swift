import Foundation
import Testing

/// Quarantine reports name case ids, and nothing deletes them (the case manager may not have read them yet): from the
/// second run on, the summary says how many earlier runs' reports lie in the report folder and that they are to be
/// deleted once dealt with.
@Suite struct EarlierQuarantineReportsCLITests {
    @Test func theSummaryCountsTheReportsOfEarlierRuns() throws {
        let s = try ExportOpsReviewCLITests.Setup()
        defer { s.remove() }
        let list = ["--input", ExportCLITests.Installation.messy, "--drive", s.path("drive"), "--quarantine-dir", s.path("reports")]
        let first = try s.run(["export"], list + ["--lang", "de"])
        #expect(first.exitCode == 0, "\(first)")
        #expect(first.stdout.contains("Quarantäne:") && !first.stdout.contains("früherer Läufe"), "\(first.stdout)")
        // Something that is not a report of a run is not counted.
        try Data("x".utf8).write(to: URL(fileURLWithPath: s.path("reports/quarantine-notes.csv")))
        let second = try s.run(["export"], list + ["--lang", "de"])
        #expect(second.stdout.contains("Hinweis: in \(s.path("reports")) liegen 1 Quarantänebericht(e) früherer Läufe; sie nennen Fall-IDs: nach der Bearbeitung löschen"), "\(second.stdout)")
        let third = try s.run(["export"], list + ["--lang", "en"])
        #expect(third.stdout.contains("Note: \(s.path("reports")) holds 2 quarantine report(s) of earlier runs; they name case ids: delete them once dealt with"), "\(third.stdout)")
        let reports = try FileManager.default.contentsOfDirectory(atPath: s.path("reports")).filter { $0.hasSuffix(".csv") && $0 != "quarantine-notes.csv" }
        #expect(reports.count == 3, "nothing was deleted: \(reports)")
    }

    /// With `--remove-quarantine-reports-after DAYS` a real run removes the reports of runs that started more than DAYS
    /// days ago and says so, in the table and in `--json`; a dry run removes nothing; 0 days is refused as usage.
    @Test func aRetentionPeriodRemovesOldReports() throws {
        let s = try ExportOpsReviewCLITests.Setup()
        defer { s.remove() }
        let day: TimeInterval = 86_400
        func stamp(_ date: Date) -> String {
            let f = DateFormatter()
            f.locale = Locale(identifier: "en_US_POSIX"); f.timeZone = TimeZone(identifier: "UTC"); f.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
            return f.string(from: date)
        }
        let old = "quarantine-\(stamp(Date().addingTimeInterval(-40 * day)))-0000000a"
        let recent = "quarantine-\(stamp(Date().addingTimeInterval(-20 * day)))-0000000b"
        for name in [old + ".csv", old + ".json", recent + ".csv", recent + ".json"] {
            try Data("x".utf8).write(to: URL(fileURLWithPath: s.path("reports/" + name)))
        }
        let list = ["--input", ExportCLITests.Installation.messy, "--drive", s.path("drive"), "--quarantine-dir", s.path("reports")]

        let refused = try s.run(["export"], list + ["--remove-quarantine-reports-after", "0"])
        #expect(refused.exitCode == 2, "\(refused)")
        let dry = try s.run(["export"], list + ["--dry-run", "--remove-quarantine-reports-after", "30"])
        #expect(dry.exitCode == 0, "\(dry)")
        #expect(FileManager.default.fileExists(atPath: s.path("reports/" + old + ".csv")))

        let run = try s.run(["export"], list + ["--lang", "de", "--remove-quarantine-reports-after", "30"])
        #expect(run.exitCode == 0, "\(run)")
        #expect(run.stdout.contains("Hinweis: 1 Quarantänebericht(e) aus \(s.path("reports")) entfernt, deren Lauf mehr als 30 Tag(e) zurückliegt"), "\(run.stdout)")
        #expect(run.stdout.contains("liegen 1 Quarantänebericht(e) früherer Läufe"), "\(run.stdout)")
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: s.path("reports")))
        #expect(!left.contains(old + ".csv") && !left.contains(old + ".json"), "\(left)")
        #expect(left.contains(recent + ".csv") && left.contains(recent + ".json"), "\(left)")
        #expect(left.filter { $0.hasSuffix(".csv") }.count == 2, "this run's report and the recent one: \(left)")

        let json = try s.run(["export"], list + ["--json", "--remove-quarantine-reports-after", "10"])
        #expect(json.exitCode == 0, "\(json)")
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(object?["removed-quarantine-reports"] as? Int == 1, "the recent one, now older than 10 days: \(json.stdout)")
        #expect(object?["earlier-quarantine-reports"] as? Int == 1, "the previous run's: \(json.stdout)")
    }

    /// `serve` takes the same option for the runs started over the API, with the same bounds (usage error, exit 2).
    @Test(arguments: ["0", "-3", "36501"])
    func serveRefusesARetentionOutOfBounds(days: String) throws {
        let s = try ExportOpsReviewCLITests.Setup()
        defer { s.remove() }
        let r = try s.run(["serve"], ["--port", "0", "--remove-quarantine-reports-after=" + days, "--lang", "en"])
        #expect(r.exitCode == 2, "\(r)")
        #expect(r.stderr.contains("--remove-quarantine-reports-after takes days from 1 to 36500, not \(days)"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: s.path("db.sqlite")), "nothing opened")
    }
}
