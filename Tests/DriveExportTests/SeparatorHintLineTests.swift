import Foundation
import Testing
@testable import DriveExport

/// A list whose first line is Excel's separator hint `sep=;` was refused as having "no header line" (the hint taken for
/// the header). The line is skipped, its separator used, and not counted (the rows keep the numbers Excel shows).
@Suite("Excel's sep= line")
struct SeparatorHintLineTests {
    static func reader(_ bytes: [UInt8]) throws -> CSVRecordReader {
        try CSVRecordReader(source: MemoryByteSource(bytes), fileName: "liste.csv")
    }

    @Test("sep=; and sep=, (LF or CRLF, with or without BOM) set the separator; the header is line 1", arguments: [
        ("sep=;\r\nFall-ID;Kommune\r\nRSK-1;Siegburg\r\n", UInt8(ascii: ";")),
        ("\u{FEFF}sep=,\nFall-ID,Kommune\nRSK-1,Siegburg\n", UInt8(ascii: ",")),
        ("SEP=;\nFall-ID;Kommune\nRSK-1;Siegburg\n", UInt8(ascii: ";")),
        // The hint wins over the count: a `,` list whose header has more `;` than `,`.
        ("sep=,\nFall-ID,Kommune;Ort;Straße\nRSK-1,Siegburg;x;y\n", UInt8(ascii: ",")),
    ])
    func hint(text: String, separator: UInt8) throws {
        let r = try Self.reader(Array(text.utf8))
        #expect(r.separator == separator)
        #expect(r.header.first == "Fall-ID")
        let row = try #require(try r.next())
        #expect(row.line == 2 && row.cells.first == "RSK-1" && row.problems.isEmpty)
        #expect(try r.next() == nil)
        #expect(r.inputSHA256 == Array(SHA256Reference.hash(Array(text.utf8))))
    }

    @Test("a list of only the hint is empty; a first cell merely starting with sep= is a header cell")
    func notAHint() throws {
        let error = #expect(throws: DriveExportError.self) { try Self.reader(Array("sep=;\r\n".utf8)) }
        #expect(error == .emptyInput(file: "liste.csv"))
        let r = try Self.reader(Array("sep=x;Kommune\nRSK-1;Siegburg\n".utf8))
        #expect(r.header == ["sep=x", "Kommune"])
    }
}
