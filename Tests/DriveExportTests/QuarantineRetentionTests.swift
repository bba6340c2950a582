import Foundation
import Testing
@testable import DriveExport

/// Quarantine reports name case ids; an operator who sets a retention period (`--remove-quarantine-reports-after`)
/// gets the reports of runs older than that removed by the next real run, and nothing else in the folder touched.
@Suite("Quarantine report: retention")
struct QuarantineRetentionTests {
    static func names(_ dir: String) -> Set<String> {
        Set((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [])
    }

    static func write(_ path: String) throws { try Data("x".utf8).write(to: URL(fileURLWithPath: path)) }

    static func utc(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    @Test("a run id names its UTC start time", arguments: [
        ("20261125T130000Z-3f9a0c1e", "2026-11-25T13:00:00Z"),
        ("20240229T235959Z-00000000", "2024-02-29T23:59:59Z"),
        ("19991231T000000Z-ffffffff", "1999-12-31T00:00:00Z"),
    ])
    func startTime(runID: String, expected: String) {
        #expect(RunID.startTime(of: runID) == Self.utc(expected))
    }

    @Test("no start time for what is not a run id or names no real time", arguments: [
        "20261340T130000Z-3f9a0c1e", "20230229T120000Z-3f9a0c1e", "20261125T250000Z-3f9a0c1e", "20261125T130000Z-3F9A0C1E",
        "20261125T130000Z-3f9a0c1", "notes", "",
    ])
    func noStartTime(runID: String) {
        #expect(RunID.startTime(of: runID) == nil)
    }

    @Test("only the reports of runs older than the cutoff go, the current run's and other files stay")
    func removesOldReportsOnly() throws {
        let dir = try TestSupport.tempDir("quarantine-retention")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let old = ["quarantine-20261001T080000Z-aaaaaaaa.csv", "quarantine-20261001T080000Z-aaaaaaaa.json",
                   "quarantine-20261020T235959Z-bbbbbbbb.csv"]   // a CSV without its JSON twin (someone deleted it) goes too
        let kept = ["quarantine-20261021T000001Z-cccccccc.csv", "quarantine-20261021T000001Z-cccccccc.json",   // after the cutoff
                    "quarantine-20260101T000000Z-dddddddd.csv",                                                // the current run
                    "quarantine-notes.csv", "quarantine-20261001T080000Z-aaaaaaaa.txt",                         // not reports
                    "quarantine-20261340T080000Z-eeeeeeee.csv",                                                 // no real time
                    ".quarantine-20261001T080000Z-ffffffff.csv.tmp-01020304",                                   // being written
                    "liste.csv"]
        for name in old + kept { try Self.write(dir + "/" + name) }

        let removed = QuarantineReportFiles.remove(in: dir, startedBefore: Self.utc("2026-10-21T00:00:00Z"),
                                                   except: "20260101T000000Z-dddddddd")
        #expect(removed == 2)
        #expect(Self.names(dir) == Set(kept))
        #expect(QuarantineReportFiles.earlier(in: dir, than: "20260101T000000Z-dddddddd") == 2)   // cccccccc and eeeeeeee
        // Nothing more to remove a second time.
        #expect(QuarantineReportFiles.remove(in: dir, startedBefore: Self.utc("2026-10-21T00:00:00Z"), except: "20260101T000000Z-dddddddd") == 0)
    }

    @Test("a report that cannot be removed is not counted as removed")
    func unremovableIsNotCounted() throws {
        let dir = try TestSupport.tempDir("quarantine-retention-ro")
        defer {
            chmod(dir, 0o700)
            try? FileManager.default.removeItem(atPath: dir)
        }
        // A folder named like a report cannot be unlinked (EISDIR/EPERM), whatever the user's privileges.
        try FileManager.default.createDirectory(atPath: dir + "/quarantine-20261001T080000Z-aaaaaaaa.csv", withIntermediateDirectories: false)
        try Self.write(dir + "/quarantine-20261001T080000Z-aaaaaaaa.json")
        let removed = QuarantineReportFiles.remove(in: dir, startedBefore: Self.utc("2026-10-21T00:00:00Z"), except: "x")
        #expect(removed == 0)
        #expect(!Self.names(dir).contains("quarantine-20261001T080000Z-aaaaaaaa.json"))
    }

    @Test("a real run removes reports past the retention period; a dry run and a run without it remove none")
    func theJobRemovesOldReports() throws {
        let inst = try ExportHarness.open("quarantine-retention-run")
        defer { inst.remove() }
        var options = inst.options(input: ExportHarness.sample)
        let reports = options.quarantineDirectory!
        try FileManager.default.createDirectory(atPath: reports, withIntermediateDirectories: true)
        let day: TimeInterval = 86_400
        let oldID = try RunID.make(now: options.now.addingTimeInterval(-31 * day))
        let recentID = try RunID.make(now: options.now.addingTimeInterval(-29 * day))
        for id in [oldID, recentID] {
            try Self.write(reports + "/quarantine-\(id).csv")
            try Self.write(reports + "/quarantine-\(id).json")
        }

        options.dryRun = true
        options.quarantineRetentionDays = 30
        let dry = try ExportJob(gate: inst.gate).run(options)
        #expect(dry.removedQuarantineReports == 0)
        #expect(Self.names(reports).contains("quarantine-\(oldID).csv"))

        options.dryRun = false
        options.quarantineRetentionDays = nil
        let keeping = try ExportJob(gate: inst.gate).run(options)
        #expect(keeping.removedQuarantineReports == 0 && keeping.earlierQuarantineReports == 2)

        options.quarantineRetentionDays = 30
        let summary = try ExportJob(gate: inst.gate).run(options)
        #expect(summary.removedQuarantineReports == 1)
        #expect(summary.earlierQuarantineReports == 1)
        #expect(Self.names(reports) == ["quarantine-\(recentID).csv", "quarantine-\(recentID).json"])
        #expect(summary.removedReportsLine(in: .en) == "Note: removed 1 quarantine report(s) from \(reports) whose run started more than 30 day(s) ago")
        #expect(summary.removedReportsLine(in: .de) == "Hinweis: 1 Quarantänebericht(e) aus \(reports) entfernt, deren Lauf mehr als 30 Tag(e) zurückliegt")
    }
}
