import Foundation
import Testing
@testable import DriveExport

/// `int` fields of a registration list (`IntegerCell`): whole numbers are read, anything else is quarantined
/// (`invalid-number`) instead of going out to partners as it stands and being read as unknown where an attribute
/// comes from it.
@Suite struct IntegerCellTests {
    @Test(arguments: [("7", 7), ("0", 0), ("+12", 12), ("-3", -3), ("007", 7), ("123456789012345678", 123_456_789_012_345_678)])
    func wholeNumbers(_ text: String, _ value: Int) {
        #expect(IntegerCell.parse(text) == value)
    }

    @Test(arguments: ["5a", "7.5", "1.234", "sieben", "+", "-", "+-1", "1-", "1 2", "١٢", "1234567890123456789", "0x1F"])
    func otherTextIsNotANumber(_ text: String) {
        #expect(IntegerCell.parse(text) == nil)
    }

    static let header = ["Lfd. Nr.", "Fall-ID", "Kommune", "Geburtsdatum"]
    static let mapping = HeaderMapping(fieldsByHeader: ["Lfd. Nr.": "record.number", "Fall-ID": "case.id", "Kommune": "municipality",
                                                        "Geburtsdatum": "birth.date"])

    @Test func theValidatorQuarantinesACellThatIsNotAWholeNumberAndKeepsTheOthers() throws {
        var schema = TestSupport.schema
        schema.integerFields = ["record.number"]
        let text = Self.header.joined(separator: ";") + "\r\n1;RSK-2;Siegburg;01.02.2022\r\n2a;RSK-3;Siegburg;01.02.2022\r\n;RSK-4;Siegburg;01.02.2022\r\n"
        let csv = try CSVRecordReader(source: MemoryByteSource(Array(text.utf8), maxReadSize: 64), fileName: "list.csv")
        let reader = try RegistrationListReader(csv: csv, mapping: Self.mapping, schema: schema, now: TestSupport.now)
        var rows: [RegistrationRow] = []
        while let r = try reader.next() { rows.append(r) }
        try #require(rows.count == 3)
        if case .valid(let r) = rows[0] { #expect(r.caseID == "RSK-2") } else { Issue.record("1 is a number: \(rows[0])") }
        guard case .quarantined(let q) = rows[1] else { Issue.record("\(rows[1])"); return }
        #expect(q.caseID == "RSK-3" && q.line == 3)
        #expect(q.reasons == [QuarantineReason(code: .invalidNumber, columnNumber: 1, columnName: "Lfd. Nr.", detail: nil)])
        #expect(q.reasons[0].text.de == "keine ganze Zahl (nur Ziffern, z. B. 7, oder leer) (Spalte 1 „Lfd. Nr.“)")
        #expect(q.reasons[0].text.en.hasPrefix("not a whole number (digits only"))
        if case .valid(let r) = rows[2] { #expect(r.caseID == "RSK-4") } else { Issue.record("empty is unknown, not an error: \(rows[2])") }
    }
}
