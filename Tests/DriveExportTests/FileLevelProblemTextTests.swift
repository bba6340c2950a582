import Diagnostics
import Foundation
import Testing
@testable import DriveExport

/// A header line or mapping file line that cannot be read stops the file; its message used to carry the quarantine
/// wording ("the following lines were read on their own", "wrong number of columns: 629 instead of 512").
@Suite("File-level reader problems are worded for a refused file")
struct FileLevelProblemTextTests {
    static func headerError(_ text: String) -> DriveExportError? {
        #expect(throws: DriveExportError.self) {
            try CSVRecordReader(source: MemoryByteSource(Array(text.utf8)), fileName: "liste.csv")
        }
    }

    @Test("an unclosed quote in the header line: no claim that later lines were read")
    func unclosedQuoteInHeader() {
        let error = Self.headerError("\"Fall-ID;Kommune;Geburtsdatum\r\nRSK-1;Siegburg;01.01.1990\r\n")
        #expect(error?.message(in: .en) == "liste.csv:1: header line unreadable: quote not closed (column 1)")
        #expect(error?.message(in: .de) == "liste.csv:1: Kopfzeile nicht lesbar: Anführungszeichen nicht geschlossen (Spalte 1)")
    }

    @Test("a header over the column limit says too many columns, and the limit")
    func tooManyColumns() {
        let error = Self.headerError("Fall-ID;Kommune;Geburtsdatum" + String(repeating: ";", count: 600) + "\r\n")
        #expect(error?.message(in: .en) == "liste.csv:1: header line unreadable: too many columns: 603 (at most 512)")
        #expect(error?.message(in: .de) == "liste.csv:1: Kopfzeile nicht lesbar: zu viele Spalten: 603 (höchstens 512)")
    }

    @Test("an unclosed quote in a mapping file line: the line is named, no claim that later lines were read")
    func unclosedQuoteInMappingFile() throws {
        let dir = try TestSupport.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/m.map"
        try Data("Spalte;Feld\n\"Fall-ID;case.id\nKommune;municipality\n".utf8).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: DriveExportError.self) { try HeaderMapping.load(path: path) }
        #expect(error?.message(in: .en) == "\(path):2: invalid mapping file: quote not closed (column 1 \"Spalte\")")
        #expect(error?.message(in: .de).contains("einzeln gelesen") == false)
    }
}
