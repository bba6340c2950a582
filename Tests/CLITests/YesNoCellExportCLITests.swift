import Foundation
import Testing

/// The export job checks the policy's `bool` fields (`YesNoCell`): a row whose „Kita-Bedarf“ reads „vielleicht“ is
/// quarantined naming the column, a tick „X“ is read as yes; the rest of the list goes out as before.
@Suite struct YesNoCellExportCLITests {
    @Test func aBoolCellThatIsNeitherIsQuarantined() throws {
        let s = try ExportOpsReviewCLITests.Setup()
        defer { s.remove() }
        // Records 1 and 2 (RSK-2022-000001, -000002) read "…;nein;nein;…": Unbegleitet minderjährig, Kita-Bedarf.
        let out = try EditedSampleExport(s, edits: [(1, ";nein;nein;", ";nein;vielleicht;"), (2, ";nein;nein;", ";nein;X;")],
                                         args: ["--lang", "en"])
        #expect(out.result.exitCode == 0, "\(out.result)")
        let report = out.quarantineReport
        #expect(report.contains("RSK-2022-000001") && report.contains("invalid-yes-no") && report.contains("Kita-Bedarf"), "\(report)")
        #expect(!report.contains("RSK-2022-000002"), "a tick X is yes: \(report)")
        let csv = out.auslaenderbehoerdeCSV
        #expect(!csv.contains("RSK-2022-000001") && csv.contains("RSK-2022-000002"))
    }
}
