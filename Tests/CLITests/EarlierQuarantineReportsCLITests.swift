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
}
