import Foundation
import Gate
import Testing
@testable import DriveExport

/// A registration list may name only the county's municipalities as its policy bundle lists them: another county's
/// bundle (its own `municipalities`) quarantines the Rhein-Sieg-Kreis's towns as `unknown-municipality` and exports
/// its own, with no change to the code.
@Suite struct CountyMunicipalityExportTests {
    @Test func theListIsCheckedAgainstThePolicysMunicipalities() throws {
        let folder = try ExportHarness.tempDir("county")  // removed when the test ends
        let dir = folder.path
        let policy = dir + "/policy"
        try FileManager.default.copyItem(atPath: ExportHarness.shippedPolicy, toPath: policy)
        try? FileManager.default.removeItem(atPath: policy + "/tests")
        var text = try String(contentsOfFile: policy + "/policy.yaml", encoding: .utf8)
        let listed = try #require(text.range(of: #"municipalities: \[[^\]]*\]"#, options: .regularExpression))
        text.replaceSubrange(listed, with: "municipalities: [Siegburg, Musterstadt]")
        try text.write(toFile: policy + "/policy.yaml", atomically: true, encoding: .utf8)
        let inst = try ExportHarness.open(dir: folder, policy: policy)
        defer { inst.remove() }
        #expect(inst.gate.policy.bundle.municipalities == ["Siegburg", "Musterstadt"])

        let rows = try ExportHarness.rows(ExportHarness.sample)
        let inSiegburg = rows.filter { $0["Kommune"] == "Siegburg" }.count
        #expect(inSiegburg > 0 && inSiegburg < rows.count)
        let summary = try inst.run(ExportHarness.sample)
        #expect(summary.rowsRead == rows.count)
        #expect(summary.quarantined == rows.count - inSiegburg, "every row outside Siegburg is quarantined")
        let report = try String(contentsOfFile: try #require(summary.quarantineReport), encoding: .utf8)
        #expect(report.contains("unknown-municipality"))
        #expect(summary.partners.first { $0.partner == "auslaenderbehoerde" }?.records == inSiegburg)
    }
}
