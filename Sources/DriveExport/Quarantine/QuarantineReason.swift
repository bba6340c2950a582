import Diagnostics

/// Why a row was quarantined: a stable code (for machines and the JSON report), the column it concerns
/// (1-based number and header text, when it concerns one), and German and English text for people.
public struct QuarantineReason: Sendable, Equatable, Hashable {
    /// The stable reason codes. Their raw values appear in the reports and never change meaning.
    public enum Code: String, Sendable, CaseIterable, Codable {
        case unterminatedQuote = "unterminated-quote"
        case malformedQuote = "malformed-quote"
        case recordTooLarge = "record-too-large"
        case cellTooLarge = "cell-too-large"
        case wrongColumnCount = "wrong-column-count"
        case invalidUTF8 = "invalid-utf8"
        case controlCharacters = "control-characters"
        case missingRequiredField = "missing-required-field"
        case invalidCaseID = "invalid-case-id"
        case invalidDate = "invalid-date"
        case birthDateInFuture = "birth-date-in-future"
        case dateInFuture = "date-in-future"
        case unknownMunicipality = "unknown-municipality"
        case invalidPostcode = "invalid-postcode"
        case invalidYesNo = "invalid-yes-no"
        case invalidNumber = "invalid-number"
        case duplicateCaseID = "duplicate-case-id"
        case formulaContent = "formula-content"
        case lineBreakInCell = "line-break-in-cell"
    }

    /// What is wrong.
    public var code: Code
    /// The 1-based column number, when the problem is in one cell.
    public var columnNumber: Int?
    /// The column's header text, when known.
    public var columnName: String?
    /// Extra detail for the text (limit, counts, the line of the first occurrence); never a cell value.
    public var detail: String?

    /// A reason.
    public init(code: Code, columnNumber: Int? = nil, columnName: String? = nil, detail: String? = nil) {
        self.code = code; self.columnNumber = columnNumber; self.columnName = columnName; self.detail = detail
    }

    /// The reason for a reader problem; `header` names the columns.
    public init(problem: CSVRecordProblem, header: [String]) {
        let column = problem.column
        let name = column.flatMap { $0 >= 1 && $0 <= header.count ? header[$0 - 1] : nil }
        switch problem {
        case .unterminatedQuote: self.init(code: .unterminatedQuote, columnNumber: column, columnName: name)
        case .malformedQuote: self.init(code: .malformedQuote, columnNumber: column, columnName: name)
        case .recordTooLarge(let limit): self.init(code: .recordTooLarge, detail: "\(limit)")
        case .cellTooLarge(_, let limit): self.init(code: .cellTooLarge, columnNumber: column, columnName: name, detail: "\(limit)")
        case .wrongColumnCount(let found, let expected):
            self.init(code: .wrongColumnCount, detail: "\(found)/\(expected)")
        case .invalidUTF8: self.init(code: .invalidUTF8, columnNumber: column, columnName: name)
        case .lineBreakInCell(_, let line): self.init(code: .lineBreakInCell, columnNumber: column, columnName: name, detail: "\(line)")
        }
    }

    /// The reason as German and English sentences, naming the column.
    public var text: LocalizedText {
        let deCol = columnNumber.map { n in " (Spalte \(n)" + (columnName.map { " „\($0)“" } ?? "") + ")" } ?? ""
        let enCol = columnNumber.map { n in " (column \(n)" + (columnName.map { " \"\($0)\"" } ?? "") + ")" } ?? ""
        let d = detail ?? ""
        switch code {
        case .unterminatedQuote:
            return LocalizedText(de: "Anführungszeichen nicht geschlossen\(deCol); die folgenden Zeilen wurden einzeln gelesen",
                                 en: "quote not closed\(enCol); the following lines were read on their own")
        case .malformedQuote:
            return LocalizedText(de: "Anführungszeichen an unzulässiger Stelle\(deCol)",
                                 en: "quote in a place where none is allowed\(enCol)")
        case .recordTooLarge:
            return LocalizedText(de: "Zeile zu groß (mehr als \(d) Bytes)", en: "row too large (more than \(d) bytes)")
        case .cellTooLarge:
            return LocalizedText(de: "Zelle zu groß (mehr als \(d) Bytes)\(deCol)", en: "cell too large (more than \(d) bytes)\(enCol)")
        case .wrongColumnCount:
            let parts = d.split(separator: "/")
            let (found, expected) = parts.count == 2 ? (String(parts[0]), String(parts[1])) : (d, "?")
            return LocalizedText(de: "falsche Spaltenanzahl: \(found) statt \(expected)",
                                 en: "wrong number of columns: \(found) instead of \(expected)")
        case .invalidUTF8:
            return LocalizedText(de: "ungültige Zeichenkodierung (kein UTF-8)\(deCol)", en: "invalid character encoding (not UTF-8)\(enCol)")
        case .controlCharacters:
            return LocalizedText(de: "Steuerzeichen in der Zelle\(deCol)", en: "control characters in the cell\(enCol)")
        case .missingRequiredField:
            return LocalizedText(de: "Pflichtfeld leer\(deCol)", en: "required field is empty\(enCol)")
        case .invalidCaseID:
            return LocalizedText(de: "Fall-ID ungültig (erlaubt: Buchstaben, Ziffern, „-“, „_“, „.“; höchstens 64 Zeichen)\(deCol)",
                                 en: "invalid case id (allowed: letters, digits, \"-\", \"_\", \".\"; at most 64 characters)\(enCol)")
        case .invalidDate:
            return LocalizedText(de: "kein gültiges Datum (TT.MM.JJJJ oder JJJJ-MM-TT)\(deCol)",
                                 en: "not a valid date (DD.MM.YYYY or YYYY-MM-DD)\(enCol)")
        case .birthDateInFuture:
            return LocalizedText(de: "Geburtsdatum liegt in der Zukunft\(deCol)", en: "date of birth is in the future\(enCol)")
        case .dateInFuture:
            return LocalizedText(de: "Datum liegt in der Zukunft (nach dem Tag des Exports)\(deCol)",
                                 en: "date is in the future (after the day of the export)\(enCol)")
        case .unknownMunicipality:
            return d.isEmpty ? LocalizedText(de: "unbekannte Kommune\(deCol)", en: "unknown municipality\(enCol)")
                : LocalizedText(de: "unbekannte Kommune\(deCol); gemeint ist wohl: \(d)", en: "unknown municipality\(enCol); probably meant: \(d)")
        case .invalidPostcode:
            return LocalizedText(de: "Postleitzahl ungültig (5 Ziffern erwartet)\(deCol)", en: "invalid postcode (5 digits expected)\(enCol)")
        case .invalidYesNo:
            return LocalizedText(de: "weder ja noch nein (erlaubt: \(YesNoCell.accepted), oder leer)\(deCol)",
                                 en: "neither yes nor no (accepted: \(YesNoCell.accepted), or empty)\(enCol)")
        case .invalidNumber:
            return LocalizedText(de: "keine ganze Zahl (nur Ziffern, z. B. 7, oder leer)\(deCol)",
                                 en: "not a whole number (digits only, e.g. 7, or empty)\(enCol)")
        case .duplicateCaseID:
            return LocalizedText(de: "Fall-ID doppelt (zuerst in Zeile \(d))\(deCol)", en: "duplicate case id (first in line \(d))\(enCol)")
        case .formulaContent:
            return LocalizedText(de: "Zelle sieht aus wie eine Tabellenformel\(deCol)", en: "cell looks like a spreadsheet formula\(enCol)")
        case .lineBreakInCell:
            return LocalizedText(
                de: "Zeilenumbruch in einem einzeiligen Feld\(deCol); die Zelle beginnt in Zeile \(d). Entweder ist dort ein Anführungszeichen zu viel oder nicht geschlossen, oder die Zelle enthält einen Zeilenumbruch (in Excel Alt+Eingabe), den dieses Feld nicht erlaubt: bitte entfernen. Die folgenden Zeilen wurden einzeln gelesen",
                en: "line break in a single-line field\(enCol); the cell begins in line \(d). Either a quote there is unbalanced (one too many, or not closed), or the cell holds a line break (Alt+Enter in Excel), which this field does not allow: remove it. The following lines were read on their own")
        }
    }
}

/// A row that is not exported, and why. Holds no cell values except the case id, so the report can go
/// to the case manager without spreading personal data.
public struct QuarantineEntry: Sendable, Equatable {
    /// The input file's physical line the row starts on (the header is line 1).
    public var line: Int
    /// The case id, when it could be read (and is itself not the problem).
    public var caseID: String?
    /// Every reason found, in column order after structural ones.
    public var reasons: [QuarantineReason]

    /// An entry.
    public init(line: Int, caseID: String?, reasons: [QuarantineReason]) {
        self.line = line; self.caseID = caseID; self.reasons = reasons
    }
}
