import Diagnostics
import Foundation
import Testing
@testable import DriveExport

@Suite("Header mapping")
struct HeaderMappingTests {
    static func reader(_ header: String) throws -> CSVRecordReader {
        try CSVRecordReader(source: MemoryByteSource(Array((header + "\r\n").utf8)), fileName: "list.csv")
    }

    @Test("the mapping file maps every generator column; `-` ignores one")
    func mappingFile() throws {
        let m = try TestSupport.mapping()
        #expect(m.targets["Fall-ID"] == .field("case.id"))
        #expect(m.targets["Lfd. Nr."] == .ignored)
        #expect(m.targets.count == 29)
    }

    @Test("unknown columns are one file-level error naming each column, in German and English")
    func unknownColumns() throws {
        let csv = try Self.reader("Fall-ID;Kommune;Geburtsdatum;Lieblingsfarbe;Schuhgröße")
        let error = #expect(throws: DriveExportError.self) {
            try RegistrationListReader(csv: csv, mapping: TestSupport.mapping(), schema: TestSupport.schema, now: TestSupport.now)
        }
        #expect(error == .unknownColumns(file: "list.csv", columns: [.init(number: 4, name: "Lieblingsfarbe"), .init(number: 5, name: "Schuhgröße")]))
        #expect(error?.message(in: .de).contains("list.csv:1: Unbekannte Spalten") == true)
        #expect(error?.message(in: .en).contains("column 4 \"Lieblingsfarbe\", column 5 \"Schuhgröße\"") == true)
        #expect(error?.category == .invalidInput)
    }

    @Test("missing required columns and duplicate columns are file-level errors")
    func missingAndDuplicate() throws {
        let missing = #expect(throws: DriveExportError.self) {
            try RegistrationListReader(csv: Self.reader("Fall-ID;Kommune"), mapping: TestSupport.mapping(), schema: TestSupport.schema, now: TestSupport.now)
        }
        #expect(missing == .missingColumns(file: "list.csv", fields: ["birth.date („Geburtsdatum“)"]))
        let dup = #expect(throws: DriveExportError.self) {
            try RegistrationListReader(csv: Self.reader("Fall-ID;Kommune;Geburtsdatum;Kommune"), mapping: TestSupport.mapping(), schema: TestSupport.schema, now: TestSupport.now)
        }
        #expect(dup == .duplicateColumns(file: "list.csv", duplicates: [.init(column: .init(number: 4, name: "Kommune"),
                                                                             first: .init(number: 2, name: "Kommune"))]))
        #expect(dup?.message(in: .en) == "list.csv:1: duplicate columns: column 4 \"Kommune\" repeats column 2 \"Kommune\".")
        #expect(dup?.message(in: .de) == "list.csv:1: Doppelte Spalten: Spalte 4 „Kommune“ wiederholt Spalte 2 „Kommune“.")
    }

    @Test("headers match whatever the Unicode normalisation (NFD from a Mac) and surrounding spaces")
    func normalisation() throws {
        let nfd = "Staatsangeho\u{0308}rigkeit"
        let csv = try Self.reader(" Fall-ID ;Kommune;Geburtsdatum;\(nfd)")
        let reader = try RegistrationListReader(csv: csv, mapping: TestSupport.mapping(), schema: TestSupport.schema, now: TestSupport.now)
        #expect(reader.layout.fields == ["case.id", "municipality", "birth.date", "person.nationality"])
    }

    @Test("bad mapping files name the file and line", arguments: [
        ("Spalte;Feld\nA;a.b\nA;c\n", 3), ("Spalte;Feld\nA;Not A Field\n", 2), ("Header;Target\nA;a\n", 1), ("Spalte;Feld\nA;a;b\n", 2),
    ])
    func badMappingFiles(text: String, line: Int) throws {
        let dir = try TestSupport.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/map.csv"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: DriveExportError.self) { try HeaderMapping.load(path: path) }
        guard case .invalidMappingFile(let file, let l, _)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(file == path && l == line)
    }
}
