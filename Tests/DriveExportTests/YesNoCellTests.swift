import Foundation
import Testing
@testable import DriveExport

/// `bool` fields of a registration list (`YesNoCell`): the spellings people type in Excel are read, anything else is
/// quarantined (`invalid-yes-no`) instead of being read as „no“. Before, „X“ or „Ja!“ in „Kita-Bedarf“ went through
/// unread, and the Jugendamt's profile, which selects children by it, silently left the record out.
@Suite struct YesNoCellTests {
    @Test(arguments: [("ja", true), ("Ja", true), ("JA", true), ("j", true), ("x", true), ("X", true), ("1", true), ("WAHR", true),
                      ("yes", true), ("True", true), ("nein", false), ("Nein", false), ("n", false), ("0", false), ("FALSCH", false),
                      ("no", false), ("false", false)])
    func acceptedSpellings(_ text: String, _ value: Bool) {
        #expect(YesNoCell.parse(text) == value)
    }

    @Test(arguments: ["Ja!", "vielleicht", "2", "jein", "nein?", "-", "ok"])
    func otherTextIsNeitherYesNorNo(_ text: String) {
        #expect(YesNoCell.parse(text) == nil)
    }

    static let header = ["Fall-ID", "Kommune", "Geburtsdatum", "Kita-Bedarf"]
    static let mapping = HeaderMapping(fieldsByHeader: ["Fall-ID": "case.id", "Kommune": "municipality", "Geburtsdatum": "birth.date",
                                                        "Kita-Bedarf": "childcare.kita-need"])

    @Test func theValidatorQuarantinesACellThatIsNeitherAndKeepsTheOthers() throws {
        var schema = TestSupport.schema
        schema.yesNoFields = ["childcare.kita-need"]
        let text = Self.header.joined(separator: ";") + "\r\nRSK-2;Siegburg;01.02.2022;x\r\nRSK-3;Siegburg;01.02.2022;vielleicht\r\nRSK-4;Siegburg;01.02.2022;\r\n"
        let csv = try CSVRecordReader(source: MemoryByteSource(Array(text.utf8), maxReadSize: 64), fileName: "list.csv")
        let reader = try RegistrationListReader(csv: csv, mapping: Self.mapping, schema: schema, now: TestSupport.now)
        var rows: [RegistrationRow] = []
        while let r = try reader.next() { rows.append(r) }
        try #require(rows.count == 3)
        if case .valid(let r) = rows[0] { #expect(r.caseID == "RSK-2") } else { Issue.record("x is yes: \(rows[0])") }
        guard case .quarantined(let q) = rows[1] else { Issue.record("\(rows[1])"); return }
        #expect(q.caseID == "RSK-3" && q.line == 3)
        #expect(q.reasons == [QuarantineReason(code: .invalidYesNo, columnNumber: 4, columnName: "Kita-Bedarf", detail: nil)])
        #expect(q.reasons[0].text.de == "weder ja noch nein (erlaubt: ja/nein, j/n, x, 1/0, wahr/falsch, yes/no, true/false, oder leer) (Spalte 4 „Kita-Bedarf“)")
        #expect(q.reasons[0].text.en.hasPrefix("neither yes nor no (accepted: "))
        if case .valid(let r) = rows[2] { #expect(r.caseID == "RSK-4") } else { Issue.record("empty is unknown, not an error: \(rows[2])") }
    }
}
