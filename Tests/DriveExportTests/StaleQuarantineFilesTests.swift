import Foundation
import Testing
@testable import DriveExport

/// A run killed while it wrote its quarantine report (SIGTERM from `systemctl stop`, SIGKILL) left the report's hidden
/// temporary files, with case ids and reasons, in the report folder; no later run ever removed them.
@Suite("Quarantine report: a killed run's temporary files")
struct StaleQuarantineFilesTests {
    static func names(_ dir: String) -> Set<String> {
        Set((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [])
    }

    static func write(_ path: String) throws { try Data("x".utf8).write(to: URL(fileURLWithPath: path)) }

    @Test("a dead writer's temporary files go; a live writer's, finished reports and other files stay")
    func removeStale() throws {
        let dir = try TestSupport.tempDir("stale-quarantine")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // What a killed run leaves: both temporary files, or only the CSV one.
        for name in [".quarantine-20261125T100000Z-aaaaaaaa.csv.tmp-01020304", ".quarantine-20261125T100000Z-aaaaaaaa.json.tmp-01020304",
                     ".quarantine-20261125T110000Z-bbbbbbbb.csv.tmp-05060708",
                     "quarantine-20261124T100000Z-cccccccc.csv", ".other.json.tmp-01020304", "liste.csv"] {
            try Self.write(dir + "/" + name)
        }
        let live = try QuarantineReportWriter(directory: dir, baseName: "quarantine-20261125T120000Z-dddddddd", inputName: "liste.csv")
        let liveTemps = Self.names(dir).filter { $0.contains("dddddddd") }
        #expect(liveTemps.count == 2)

        let removed = QuarantineReportWriter.removeStale(in: dir)
        #expect(removed.count == 3)
        #expect(Self.names(dir) == Set(["quarantine-20261124T100000Z-cccccccc.csv", ".other.json.tmp-01020304", "liste.csv"]).union(liveTemps))

        try live.add(QuarantineEntry(line: 4, caseID: "RSK-1", reasons: [QuarantineReason(code: .invalidDate, columnNumber: 8, columnName: "Geburtsdatum")]))
        try live.finish()
        #expect(Self.names(dir).contains("quarantine-20261125T120000Z-dddddddd.json"))
        #expect(Self.names(dir).contains("quarantine-20261125T120000Z-dddddddd.csv"))
        #expect(!Self.names(dir).contains { $0.contains(".tmp-") && $0.contains("dddddddd") })
    }

    @Test("the next export run removes what a killed run left in the report folder")
    func nextRunCleansUp() throws {
        let inst = try ExportHarness.open("stale-quarantine-run")
        defer { inst.remove() }
        let options = inst.options(input: ExportHarness.sample)
        try FileManager.default.createDirectory(atPath: options.quarantineDirectory!, withIntermediateDirectories: true)
        let stale = [".quarantine-20261125T100000Z-aaaaaaaa.csv.tmp-01020304", ".quarantine-20261125T100000Z-aaaaaaaa.json.tmp-01020304"]
        for name in stale { try Self.write(options.quarantineDirectory! + "/" + name) }
        _ = try ExportJob(gate: inst.gate).run(options)
        #expect(Self.names(options.quarantineDirectory!).isDisjoint(with: stale))
    }
}
