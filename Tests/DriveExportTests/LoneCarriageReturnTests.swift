import Foundation
import Testing
@testable import DriveExport

/// A lone CR (no LF after it) outside quotes in a list whose lines end in CRLF or LF: a row saved on a Mac between others,
/// or a list pasted together. An export probe found two rows read as one 57-column record: the first person quarantined
/// as `wrong-column-count`, the second neither exported nor named anywhere, every later line number one off what Excel
/// shows. A lone CR outside quotes ends the line, as Excel, LibreOffice and Python read it, also after a broken record
/// (a review found the reader skipping to the next LF there, taking the next row with it); inside a quoted cell it stays
/// the cell's.
@Suite struct LoneCarriageReturnTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var text: String
        /// Per record: its first line and cells.
        var records: [(line: Int, cells: [String])]
        var problems: [[CSVRecordProblem]]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "a lone CR between CRLF rows", text: "A;B;C\r\n1;x;y\r\n2;u;v\r3;p;q\r\n",
             records: [(2, ["1", "x", "y"]), (3, ["2", "u", "v"]), (4, ["3", "p", "q"])], problems: [[], [], []]),
        Case(name: "a lone CR between LF rows", text: "A;B;C\n1;x;y\r2;u;v\n",
             records: [(2, ["1", "x", "y"]), (3, ["2", "u", "v"])], problems: [[], []]),
        Case(name: "after a quoted last cell", text: "A;B;C\r\n1;x;\"y\"\r2;u;v\r\n",
             records: [(2, ["1", "x", "y"]), (3, ["2", "u", "v"])], problems: [[], []]),
        Case(name: "after an empty last cell", text: "A;B;C\r\n1;x;\r2;u;v\r\n",
             records: [(2, ["1", "x", ""]), (3, ["2", "u", "v"])], problems: [[], []]),
        Case(name: "inside a row: a line end there too, both parts quarantined", text: "A;B;C\r\n1;x\ry;z\r\n2;u;v\r\n",
             records: [(2, ["1", "x"]), (3, ["y", "z"]), (4, ["2", "u", "v"])],
             problems: [[.wrongColumnCount(found: 2, expected: 3)], [.wrongColumnCount(found: 2, expected: 3)], []]),
        Case(name: "inside a quoted cell: the cell's", text: "A;B;C\r\n1;\"x\ry\";z\r\n2;u;v\r\n",
             records: [(2, ["1", "x\ry", "z"]), (3, ["2", "u", "v"])], problems: [[], []]),
        Case(name: "at the end of the input", text: "A;B;C\r\n1;x;y\r",
             records: [(2, ["1", "x", "y"])], problems: [[]]),
        Case(name: "a short row before it does not take the next one", text: "A;B;C\r\n1;x\r2;u;v\r\n",
             records: [(2, ["1", "x"]), (3, ["2", "u", "v"])], problems: [[.wrongColumnCount(found: 2, expected: 3)], []]),
        Case(name: "a broken quote before it does not take the next one", text: "A;B;C\r\n1;x\"y;z\r2;u;v\r\n3;p;q\n",
             records: [(2, ["1"]), (3, ["2", "u", "v"]), (4, ["3", "p", "q"])], problems: [[.malformedQuote(column: 2)], [], []]),
        Case(name: "a broken quote, the lone CR at a buffer's end", text: "A;B;C\r\n1;x\"" + String(repeating: "y", count: 13) + "\r2;u;v\r\n",
             records: [(2, ["1"]), (3, ["2", "u", "v"])], problems: [[.malformedQuote(column: 2)], []]),
    ]

    @Test(arguments: cases, [1, 2, 1 << 16])
    func aLoneCREndingACompleteRecordEndsIt(_ c: Case, readSize: Int) throws {
        let reader = try CSVRecordReader(source: MemoryByteSource(Array(c.text.utf8), maxReadSize: readSize), fileName: "cr.csv",
                                         options: CSVReaderOptions(chunkSize: 16))
        let records = try TestSupport.readAll(reader)
        #expect(records.map(\.line) == c.records.map(\.line))
        #expect(records.map(\.cells) == c.records.map(\.cells))
        #expect(records.map(\.problems) == c.problems)
    }

    /// The probe's list: the sample with one row ending in a lone CR. Every person is read, at the line Excel shows, with
    /// the same outcome as from the sample itself.
    @Test func everyRowOfTheSampleIsReadWhenOneEndsInALoneCR() throws {
        let samplePath = TestSupport.shared.appendingPathComponent("data/registrations-sample.csv").path
        var lines = try String(contentsOfFile: samplePath, encoding: .utf8).components(separatedBy: "\r\n")
        if lines.last == "" { lines.removeLast() }
        let joined = lines[0] + "\r\n" + lines[1] + "\r\n" + lines[2] + "\r" + lines[3...].joined(separator: "\r\n") + "\r\n"
        let path = try TestSupport.tempDir("lone-cr") + "/list.csv"
        try Data(joined.utf8).write(to: URL(fileURLWithPath: path))
        let rows = try TestSupport.readRows(path: path)
        #expect(rows.map(\.line) == Array(2...lines.count))
        #expect(rows == (try TestSupport.readRows(path: samplePath)), "every row read as from the sample, at its line")
    }
}
