import Foundation
import Testing

/// The export job checks the policy's `bool` fields (`YesNoCell`): a row whose „Kita-Bedarf“ reads „vielleicht“ is
/// quarantined naming the column, a tick „X“ is read as yes; the rest of the list goes out as before.
@Suite struct YesNoCellExportCLITests {
    typealias Setup = ExportOpsReviewCLITests.Setup

    @Test func aBoolCellThatIsNeitherIsQuarantined() throws {
        let s = try Setup()
        defer { s.remove() }
        var lines = try String(contentsOfFile: ExportCLITests.Installation.sample, encoding: .utf8).components(separatedBy: "\r\n")
        // Line 2 (RSK-2022-000001) and line 3 (RSK-2022-000002) end "…;nein;nein;;<level>;…": Unbegleitet, Kita-Bedarf.
        try #require(lines[1].contains(";nein;nein;") && lines[2].contains(";nein;nein;"))
        lines[1] = lines[1].replacingOccurrences(of: ";nein;nein;", with: ";nein;vielleicht;")
        lines[2] = lines[2].replacingOccurrences(of: ";nein;nein;", with: ";nein;X;")
        let list = s.path("liste.csv")
        try Data(lines.joined(separator: "\r\n").utf8).write(to: URL(fileURLWithPath: list))
        let r = try s.run(["export"], ["--input", list, "--drive", s.path("drive"), "--quarantine-dir", s.path("reports"), "--lang", "en"])
        #expect(r.exitCode == 0, "\(r)")
        let reports = try FileManager.default.contentsOfDirectory(atPath: s.path("reports")).filter { $0.hasSuffix(".csv") }
        let report = try String(contentsOfFile: s.path("reports/" + (try #require(reports.first))), encoding: .utf8)
        #expect(report.contains("RSK-2022-000001") && report.contains("invalid-yes-no") && report.contains("Kita-Bedarf"), "\(report)")
        #expect(!report.contains("RSK-2022-000002"), "a tick X is yes: \(report)")
        let folder = try #require(s.runFolders("Auslaenderbehoerde").first)
        let csv = try String(contentsOfFile: folder + "/registrations.csv", encoding: .utf8)
        #expect(!csv.contains("RSK-2022-000001") && csv.contains("RSK-2022-000002"))
    }
}
