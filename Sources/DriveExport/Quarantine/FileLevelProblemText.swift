import Diagnostics

/// A reader problem in a line that stops the whole file (the list's header line, a mapping file line), worded for
/// that: a quarantined row's text says that "the following lines were read on their own", which is false when the file
/// is refused, and a header over the column limit is "too many columns", not "wrong number of columns: 629 instead of
/// 512" as if the header had to have 512.
public enum FileLevelProblemText {
    /// The text for `problem` in the header line (`isHeader`) or in a later line of a refused file (`header` names the
    /// columns).
    public static func text(_ problem: CSVRecordProblem, header: [String], isHeader: Bool) -> LocalizedText {
        let reason = QuarantineReason(problem: problem, header: header)
        let col = reason.columnNumber.map { n in (de: " (Spalte \(n)" + (reason.columnName.map { " „\($0)“" } ?? "") + ")",
                                                  en: " (column \(n)" + (reason.columnName.map { " \"\($0)\"" } ?? "") + ")") }
            ?? (de: "", en: "")
        switch problem {
        case .unterminatedQuote:
            return LocalizedText(de: "Anführungszeichen nicht geschlossen\(col.de)", en: "quote not closed\(col.en)")
        case .lineBreakInCell:
            return LocalizedText(de: "Zeilenumbruch in der Zelle\(col.de); vermutlich ein Anführungszeichen zu viel oder nicht geschlossen",
                                 en: "line break in the cell\(col.en); most likely a quote too many or not closed")
        case .wrongColumnCount(let found, let limit) where isHeader:
            return LocalizedText(de: "zu viele Spalten: \(found) (höchstens \(limit))", en: "too many columns: \(found) (at most \(limit))")
        default:
            return reason.text
        }
    }
}
