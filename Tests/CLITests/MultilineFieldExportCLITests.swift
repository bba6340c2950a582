import Foundation
import Testing

/// A health note typed over two lines in Excel (Alt+Enter) is a quoted cell with a line break. The shipped policy
/// declares `health.notes` `multiline: true`, so that record goes out like any other (no partner receives the note);
/// before, the whole person was quarantined and the note's second line reported as a bad row of its own. A line break
/// in a single-line field (a given name) is still quarantined: there it is most likely a stray quote.
@Suite struct MultilineFieldExportCLITests {
    typealias Setup = ExportOpsReviewCLITests.Setup

    @Test func aMultiLineHealthNoteGoesOutAndAMultiLineGivenNameIsQuarantined() throws {
        let s = try Setup()
        defer { s.remove() }
        var lines = try String(contentsOfFile: ExportCLITests.Installation.sample, encoding: .utf8).components(separatedBy: "\r\n")
        // Line 2: RSK-2022-000001 (health note "Sehbehinderung"); line 3: RSK-2022-000002 (given name "Mariia").
        try #require(lines[1].contains(";Sehbehinderung;") && lines[2].contains(";Mariia;"))
        lines[1] = lines[1].replacingOccurrences(of: ";Sehbehinderung;", with: ";\"Sehbehinderung\r\nbraucht Begleitung\";")
        lines[2] = lines[2].replacingOccurrences(of: ";Mariia;", with: ";\"Mariia\r\nX\";")
        let list = s.path("liste.csv")
        try Data(lines.joined(separator: "\r\n").utf8).write(to: URL(fileURLWithPath: list))

        let r = try s.run(["export"], ["--input", list, "--drive", s.path("drive"), "--quarantine-dir", s.path("reports"), "--json"])
        #expect(r.exitCode == 0, "\(r)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r)")
        // The given name's record, and its second line read on its own (as after a stray quote); nothing of the health note.
        #expect(summary["quarantined"] as? Int == 2, "\(r.stdout)")

        let folder = try #require(s.runFolders("Auslaenderbehoerde").first)
        let csv = try String(contentsOfFile: folder + "/registrations.csv", encoding: .utf8)
        #expect(csv.contains("RSK-2022-000001"), "the record with the two-line health note went out")
        #expect(!csv.contains("RSK-2022-000002"), "the record with the two-line given name did not")
        #expect(!csv.contains("Sehbehinderung"), "no health note reaches the Ausländerbehörde")

        let reports = try FileManager.default.contentsOfDirectory(atPath: s.path("reports")).filter { $0.hasSuffix(".csv") }
        let report = try String(contentsOfFile: s.path("reports/" + (try #require(reports.first))), encoding: .utf8)
        #expect(report.contains("RSK-2022-000002") && report.contains("line-break-in-cell"), "\(report)")
        #expect(!report.contains("RSK-2022-000001"), "\(report)")
    }
}
