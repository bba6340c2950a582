import Foundation
import Testing
@testable import DriveExport

@Suite("Excel CSV writer")
struct ExcelCSVWriterTests {
    static let hostileCells: [[String]] = [
        ["RSK-1", "Шевченко", "Олена", "=HYPERLINK(\"http://x.invalid\";\"Klick\")", "+380 50 123 4567"],
        ["RSK-2", "-5", "@SUM(1+1)", "\tTab", "\rCR"],
        ["RSK-3", "a;b", "er sagte \"hi\"", "zwei\r\nZeilen", "nur\nLF"],
        ["RSK-4", "'=schon", "''+zwei", "'normal", ""],
        ["RSK-5", "Müller-Lüdenscheidt", "Straße", "ü€𝄞", " =leading space"],
    ]

    @Test("bytes on disk: BOM, `;`, CRLF, quoting only when needed, neutralised formulas, Cyrillic intact")
    func exactBytes() throws {
        let dir = try TestSupport.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let w = try ExcelCSVWriter(path: dir + "/out.csv", header: ["Fall-ID", "Familienname", "Notiz"])
        try w.write(["RSK-1", "Шевченко", "=1+1"])
        try w.write(["RSK-2", "a;b", "x\"y"])
        try w.write(["RSK-3", "=a;b", "-"])
        let file = try w.finish()
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: dir + "/out.csv")))
        let expected: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("Fall-ID;Familienname;Notiz\r\nRSK-1;Шевченко;'=1+1\r\nRSK-2;\"a;b\";\"x\"\"y\"\r\nRSK-3;\"'=a;b\";'-\r\n".utf8)
        #expect(bytes == expected)
        #expect(file == WrittenFile(name: "out.csv", bytes: expected.count, sha256: SHA256Reference.hex(expected), records: 3))
    }

    @Test("round trip: our reader gives back exactly the cells, neutralised; unneutralized restores them", arguments: [1, 4, 1 << 16])
    func roundTrip(readSize: Int) throws {
        let dir = try TestSupport.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let header = ["Fall-ID", "A", "B", "C", "D"]
        let w = try ExcelCSVWriter(path: dir + "/rt.csv", header: header)
        for row in Self.hostileCells { try w.write(row) }
        _ = try w.finish()
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: dir + "/rt.csv")))
        let reader = try CSVRecordReader(source: MemoryByteSource(bytes, maxReadSize: readSize), fileName: "rt.csv")
        #expect(reader.hadByteOrderMark && reader.separator == UInt8(ascii: ";"))
        let records = try TestSupport.readAll(reader)
        #expect(reader.header == header)
        #expect(records.allSatisfy { $0.problems.isEmpty } && records.count == Self.hostileCells.count)
        #expect(records.map(\.cells) == Self.hostileCells.map { $0.map(SpreadsheetCell.neutralized) })
        #expect(records.map { $0.cells.map(SpreadsheetCell.unneutralized) } == Self.hostileCells)
        for cells in records.map(\.cells) {
            for cell in cells { #expect(!SpreadsheetCell.formulaTriggers.contains(cell.utf8.first ?? 0), "\(cell)") }
        }
    }

    @Test("neutralisation: each trigger gets one apostrophe; other cells unchanged", arguments: [
        ("=1", "'=1"), ("+1", "'+1"), ("-1", "'-1"), ("@a", "'@a"), ("\tx", "'\tx"), ("\rx", "'\rx"),
        ("'=1", "''=1"), ("'x", "'x"), ("x=1", "x=1"), ("", ""), ("Олена", "Олена"), ("\nx", "\nx"),
    ])
    func neutralisation(input: String, output: String) {
        #expect(SpreadsheetCell.neutralized(input) == output)
        #expect(SpreadsheetCell.unneutralized(output) == input)
    }

    @Test("the writer never overwrites an existing file")
    func exclusive() throws {
        let dir = try TestSupport.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data("x".utf8).write(to: URL(fileURLWithPath: dir + "/a.csv"))
        #expect(throws: DriveExportError.self) { try ExcelCSVWriter(path: dir + "/a.csv", header: ["A"]) }
        #expect(try String(contentsOfFile: dir + "/a.csv", encoding: .utf8) == "x")
    }
}

extension SHA256Reference {
    static func hex(_ bytes: [UInt8]) -> String { hash(bytes).map { String(format: "%02x", $0) }.joined() }
}
