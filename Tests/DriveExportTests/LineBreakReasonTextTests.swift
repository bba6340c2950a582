import Testing
@testable import DriveExport

/// A cell with a line break typed in Excel (Alt+Enter) in a single-line field, e.g. a two-line health note, is
/// quarantined; the reason told the case manager only about a stray quote, which such a row does not have, so they could
/// not see what to correct.
@Suite("line-break-in-cell: the reason names the Alt+Enter line break too")
struct LineBreakReasonTextTests {
    @Test("German and English name both causes and what to do, with column and line")
    func text() {
        let text = QuarantineReason(code: .lineBreakInCell, columnNumber: 25, columnName: "Gesundheitliche Hinweise", detail: "6").text
        #expect(text.de.contains("Spalte 25 „Gesundheitliche Hinweise“") && text.de.contains("Zeile 6"))
        #expect(text.de.contains("Alt+Eingabe") && text.de.contains("bitte entfernen") && text.de.contains("Anführungszeichen"))
        #expect(text.en.contains("column 25 \"Gesundheitliche Hinweise\"") && text.en.contains("line 6"))
        #expect(text.en.contains("Alt+Enter") && text.en.contains("remove it") && text.en.contains("quote"))
    }
}
