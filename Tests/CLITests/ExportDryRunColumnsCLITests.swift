import Foundation
import Testing

/// The dry run's column lists name each column as the partner's spreadsheet heads it, with the field id beside it
/// (`Familienname (name.family)`): the operator checks what the partner will see, not only the policy's ids.
@Suite struct ExportDryRunColumnsCLITests {
    @Test(arguments: [("de", "Spalten für auslaenderbehoerde: Fall-ID (case.id), Familienname (name.family)"),
                      ("en", "Columns for auslaenderbehoerde: Case id (case.id), Family name (name.family)")])
    func theDryRunNamesColumnsByTheirLabels(_ language: String, _ expected: String) throws {
        let setup = try ExportOpsReviewCLITests.Setup()
        defer { setup.remove() }
        let r = try setup.export(["--dry-run"], env: ["CONSENTGATE_LANG": language])
        #expect(r.exitCode == 0, "\(r.stderr)")
        #expect(r.stdout.contains(expected), "\(r.stdout)")
    }
}
