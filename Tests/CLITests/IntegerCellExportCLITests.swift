import Foundation
import Testing

/// The export job checks the policy's `int` fields (`IntegerCell`): a row whose „Lfd. Nr.“ reads „1a“ is quarantined
/// naming the column; a school class „5a“ in „Zuletzt besuchte Klasse“, a `string` field in the shipped policy, goes
/// through; the rest of the list goes out as before.
@Suite struct IntegerCellExportCLITests {
    @Test func anIntCellThatIsNotAWholeNumberIsQuarantined() throws {
        let s = try ExportOpsReviewCLITests.Setup()
        defer { s.remove() }
        // Record 1 (RSK-2022-000001) starts "1;RSK-2022-000001;"; record 4 (RSK-2022-000004) reads "…;nein;7;B2;…".
        let out = try EditedSampleExport(s, edits: [(1, "1;RSK-2022-000001;", "1a;RSK-2022-000001;"), (4, ";nein;7;B2;", ";nein;5a;B2;")],
                                         args: ["--lang", "en"])
        #expect(out.result.exitCode == 0, "\(out.result)")
        let report = out.quarantineReport
        #expect(report.contains("RSK-2022-000001") && report.contains("invalid-number") && report.contains("Lfd. Nr."), "\(report)")
        #expect(!report.contains("RSK-2022-000004"), "a class 5a is text: \(report)")
        let csv = out.auslaenderbehoerdeCSV
        #expect(!csv.contains("RSK-2022-000001") && csv.contains("RSK-2022-000004"))
    }
}
