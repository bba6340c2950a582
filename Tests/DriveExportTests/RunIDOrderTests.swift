import Foundation
import Testing
@testable import DriveExport

/// Run ids sort in the order the runs ran, also for runs started in the same second: partners process a drive's
/// run folders in name order, so an erasure notice must not sort before the data it erases.
@Suite struct RunIDOrderTests {
    static let now = ExportHarness.now   // 2026-11-25T10:00:00Z
    static let stamp = "20261125T100000Z"

    @Test(arguments: ["00000000", "7fffffff", "fffffff0", "fffffffe"])
    func aRunInTheSameSecondSortsAfterTheLatest(_ suffix: String) throws {
        let latest = Self.stamp + "-" + suffix
        for _ in 0..<50 {
            let id = try RunID.make(now: Self.now, after: latest)
            #expect(id.hasPrefix(Self.stamp + "-") && RunID.isRunID(id))
            #expect(id > latest, "\(id) after \(latest)")
        }
    }

    @Test func otherwiseTheRandomPartIsFree() throws {
        // The latest run of another second does not constrain the random part; the highest possible one cannot be passed.
        let ids = try (0..<50).map { _ in try RunID.make(now: Self.now, after: "20261125T095959Z-ffffffff") }
        #expect(ids.allSatisfy { $0.hasPrefix(Self.stamp + "-") && RunID.isRunID($0) })
        #expect(ids.contains { $0 < Self.stamp + "-80000000" })
        #expect(RunID.isRunID(try RunID.make(now: Self.now, after: Self.stamp + "-ffffffff")))
    }

    @Test(arguments: [("20261125T100000Z-0a1b2c3d", true), ("20261125T100000Z-0A1B2C3D", false), ("20261125T100000Z-0a1b2c3", false),
                      ("20261125-100000Z-0a1b2c3d", false), ("2026112xT100000Z-0a1b2c3d", false), ("20261125T100000Z-0a1b2c3g", false),
                      ("erasure-notices.csv", false)])
    func theFormOfARunID(_ name: String, _ isRunID: Bool) {
        #expect(RunID.isRunID(name) == isRunID)
    }

    @Test func theLatestRunOnTheDriveCountsPublishedAndStagedFolders() throws {
        let folder = try ExportHarness.tempDir("run-id-latest")  // removed when the test ends
        let drive = folder.path + "/drive"
        let made = ["A/20261124T090000Z-ffffffff", "A/notes", "B/20261125T100000Z-00000010", "B/.20261125T100000Z-00000020.partial-ab12",
                    "B/20261125T100000Z-0000001", "C/zzzz"]
        for path in made { try FileManager.default.createDirectory(atPath: drive + "/" + path, withIntermediateDirectories: true) }
        #expect(RunID.latest(onDrive: drive, partnerFolders: ["A", "B", "C", "missing"]) == "20261125T100000Z-00000020")
        #expect(RunID.latest(onDrive: drive, partnerFolders: ["A"]) == "20261124T090000Z-ffffffff")
        #expect(RunID.latest(onDrive: drive, partnerFolders: ["C", "missing"]) == nil)
    }

    /// The job: a run folder of this very second already on the drive (a run a moment ago); the new run sorts after it.
    @Test func theJobsRunSortsAfterARunOfTheSameSecondOnTheDrive() throws {
        let inst = try ExportHarness.open("run-id-order")
        defer { inst.remove() }
        let folder = try #require(inst.gate.policy.bundle.partners.first { $0.id == "auslaenderbehoerde" }).folder
        let earlier = Self.stamp + "-fffffff0"
        try FileManager.default.createDirectory(atPath: inst.drive + "/" + folder + "/" + earlier, withIntermediateDirectories: true)
        let summary = try inst.run(ExportHarness.sample)
        #expect(summary.runID.hasPrefix(Self.stamp + "-"))
        #expect(summary.runID > earlier, "\(summary.runID)")
        let published = try FileManager.default.contentsOfDirectory(atPath: inst.drive + "/" + folder).filter(RunID.isRunID).sorted()
        #expect(published == [earlier, summary.runID])
    }
}
