import Foundation
import Testing

/// A health note typed over two lines in Excel (Alt+Enter) is a quoted cell with a line break. The shipped policy
/// declares `health.notes` `multiline: true`, so that record goes out like any other (no partner receives the note);
/// before, the whole person was quarantined and the note's second line reported as a bad row of its own. A line break
/// in a single-line field (a given name) is still quarantined: there it is most likely a stray quote.
@Suite struct MultilineFieldExportCLITests {
    @Test func aMultiLineHealthNoteGoesOutAndAMultiLineGivenNameIsQuarantined() throws {
        let s = try ExportOpsReviewCLITests.Setup()
        defer { s.remove() }
        // Record 1: RSK-2022-000001 (health note "Sehbehinderung"); record 2: RSK-2022-000002 (given name "Mariia").
        let out = try EditedSampleExport(s, edits: [(1, ";Sehbehinderung;", ";\"Sehbehinderung\r\nbraucht Begleitung\";"),
                                                    (2, ";Mariia;", ";\"Mariia\r\nX\";")], args: ["--json"])
        let r = out.result
        #expect(r.exitCode == 0, "\(r)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r)")
        // The given name's record, and its second line read on its own (as after a stray quote); nothing of the health note.
        #expect(summary["quarantined"] as? Int == 2, "\(r.stdout)")

        let csv = out.auslaenderbehoerdeCSV
        #expect(csv.contains("RSK-2022-000001"), "the record with the two-line health note went out")
        #expect(!csv.contains("RSK-2022-000002"), "the record with the two-line given name did not")
        #expect(!csv.contains("Sehbehinderung"), "no health note reaches the Ausländerbehörde")

        let report = out.quarantineReport
        #expect(report.contains("RSK-2022-000002") && report.contains("line-break-in-cell"), "\(report)")
        #expect(!report.contains("RSK-2022-000001"), "\(report)")
    }
}
