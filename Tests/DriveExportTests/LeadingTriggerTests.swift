import Foundation
import Testing
@testable import DriveExport

/// Cells that start with whitespace (space, no-break space, ideographic space, tab) or a full-width `＝＋－＠`
/// before or instead of a formula trigger (OWASP CSV injection: a spreadsheet that trims cells sees the trigger
/// first). Formulas among them are quarantined; data is exported with the one leading `'` (reversibly).
@Suite("Formula triggers after leading whitespace, and full-width triggers")
struct LeadingTriggerTests {
    @Test("formulas behind whitespace or in full-width form are quarantined", arguments: [
        " =1+1", "  =HYPERLINK(\"x\")", " -cmd|' /C calc'!A0", "\u{00A0}=1+1", "\u{3000}=1", "\t=1+1", "\u{2003}@SUM(1+1)",
        "＝1+1", " ＝1", "＋HYPERLINK(\"a\")", "－2+3+cmd|' /C calc'!A0", "＠SUM(1)", "\u{00A0}+=1",
    ])
    func formulas(cell: String) {
        #expect(CellChecks.looksLikeFormula(cell), "\(cell.unicodeScalars.map { String($0.value, radix: 16) })")
    }

    @Test("data behind whitespace or in full-width form is not a formula", arguments: [
        " +380 50 123 4567", "\u{00A0}-5", " - Diabetes (Typ 1)", "＠home", "\u{3000}＋1", " Melnyk", "  ", "\u{00A0}", "Олена",
        " Олена", "x =1", "\u{00A0}Straße 1",
    ])
    func data(cell: String) {
        #expect(!CellChecks.looksLikeFormula(cell), "\(cell.unicodeScalars.map { String($0.value, radix: 16) })")
    }

    @Test("neutralisation: a trigger after whitespace, or a full-width one, gets one apostrophe; the rest unchanged; reversible", arguments: [
        (" =1", "' =1"), (" +380 50", "' +380 50"), ("\u{00A0}-5", "'\u{00A0}-5"), ("\u{3000}@x", "'\u{3000}@x"), ("\n=1", "'\n=1"),
        ("＝1", "'＝1"), ("＋380", "'＋380"), ("－1", "'－1"), ("＠home", "'＠home"), ("\u{3000}＋1", "'\u{3000}＋1"),
        ("' =1", "'' =1"), ("'\u{00A0}＝1", "''\u{00A0}＝1"), (" x", " x"), ("\u{00A0}Straße", "\u{00A0}Straße"), (" ", " "),
        ("' x", "' x"), ("Олена", "Олена"), ("＝", "'＝"), ("x＝1", "x＝1"),
    ])
    func neutralisation(input: String, output: String) {
        #expect(SpreadsheetCell.neutralized(input) == output)
        #expect(SpreadsheetCell.unneutralized(output) == input)
        #expect(SpreadsheetCell.unneutralized(SpreadsheetCell.neutralized(output)) == output)
    }

    @Test("the export job: formulas behind whitespace are quarantined, other leading-trigger cells go out neutralised")
    func exportJob() throws {
        let inst = try ExportHarness.open("leading-triggers")
        defer { inst.remove() }
        let summary = try inst.run(TestSupport.fixture("lists/leading-triggers.csv"))
        #expect(summary.rowsRead == 11 && summary.quarantined == 6)
        let abh = try #require(summary.partners.first { $0.partner == "auslaenderbehoerde" }?.path)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: abh + "/registrations.csv"))
        let reader = try CSVRecordReader(source: MemoryByteSource([UInt8](bytes)), fileName: "registrations.csv")
        let names = try TestSupport.readAll(reader).map { $0.cells[1] }
        // Spaces and tabs around a cell do not go out (`SpacedCellExportTests`); other whitespace, and the trigger, stay.
        #expect(names == ["'+380 50 123 4567", "'\u{00A0}-5", "'＠home", "'\u{3000}＋1", "Melnyk"])
        #expect(names.map(SpreadsheetCell.unneutralized) == ["+380 50 123 4567", "\u{00A0}-5", "＠home", "\u{3000}＋1", "Melnyk"])
    }
}
