import Foundation
import Testing
@testable import DriveExport

@Suite("CSV reader")
struct CSVReaderTests {
    /// Cells as Python's csv module (an independent RFC 4180 implementation) reads the file.
    static func pythonCells(_ path: String) throws -> [[String]] {
        let script = """
        import csv, json, sys
        text = open(sys.argv[1], encoding="utf-8-sig", newline="").read()
        head = text.split("\\n", 1)[0]
        delim = "," if head.count(",") > head.count(";") else ";"
        print(json.dumps(list(csv.reader(text.splitlines(keepends=True), delimiter=delim))))
        """
        let r = try TestSupport.run("/usr/bin/env", ["python3", "-c", script, path])
        #expect(r.status == 0, "\(String(decoding: r.err, as: UTF8.self))")
        return try JSONDecoder().decode([[String]].self, from: r.out)
    }

    @Test("dialects read exactly as Python's csv module reads them", arguments: [
        ("gen40-semicolon-crlf.csv", UInt8(ascii: ";"), false),
        ("gen40-semicolon-crlf-bom.csv", UInt8(ascii: ";"), true),
        ("gen40-semicolon-lf.csv", UInt8(ascii: ";"), false),
        ("gen40-comma-crlf-bom.csv", UInt8(ascii: ","), true),
        ("gen40-comma-lf.csv", UInt8(ascii: ","), false),
    ])
    func dialects(name: String, separator: UInt8, bom: Bool) throws {
        let path = TestSupport.fixture("csv/" + name)
        for chunk in [7, 1 << 18] {
            let reader = try CSVRecordReader(path: path, options: CSVReaderOptions(chunkSize: chunk))
            #expect(reader.separator == separator)
            #expect(reader.hadByteOrderMark == bom)
            let records = try TestSupport.readAll(reader)
            let expected = try Self.pythonCells(path)
            #expect([reader.header] + records.map(\.cells) == expected)
            #expect(records.allSatisfy { $0.problems.isEmpty })
            #expect(records.map(\.line) == Array(2...41))
            #expect(reader.header.count == 29 && reader.header[1] == "Fall-ID")
        }
    }

    @Test("quoted line breaks, doubled quotes, blank rows: cells and start lines", arguments: [1, 2, 3, 5, 64, 1 << 16])
    func multiline(readSize: Int) throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: TestSupport.fixture("csv/multiline.csv"))))
        let reader = try CSVRecordReader(source: MemoryByteSource(bytes, maxReadSize: readSize), fileName: "multiline.csv",
                                         options: CSVReaderOptions(chunkSize: 16))
        let records = try TestSupport.readAll(reader)
        #expect(reader.header == ["Nr", "Fall-ID", "Notiz", "Name"])
        #expect(records == [
            CSVRawRecord(line: 2, lastLine: 3, cells: ["1", "RSK-1", "Zeile eins\r\nZeile zwei; mit Semikolon", "Олена"], problems: []),
            CSVRawRecord(line: 4, lastLine: 4, cells: ["2", "RSK-2", "Er sagte \"Hallo\"", "Шевченко"], problems: []),
            CSVRawRecord(line: 6, lastLine: 8, cells: ["3", "RSK-3", "drei\nZeilen\nhier", "x"], problems: []),
            CSVRawRecord(line: 10, lastLine: 10, cells: ["4", "RSK-4", "", "letzte"], problems: []),
        ])
        #expect(reader.blankRecords == 2)
        #expect(reader.inputSHA256 == Array(SHA256Reference.hash(bytes)))
    }

    @Test("hostile input: every broken record reported at its line, the rest read", arguments: [1, 3, 1 << 16])
    func hostile(readSize: Int) throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: TestSupport.fixture("csv/hostile.csv"))))
        let reader = try CSVRecordReader(source: MemoryByteSource(bytes, maxReadSize: readSize), fileName: "hostile.csv")
        let records = try TestSupport.readAll(reader)
        let byLine = Dictionary(uniqueKeysWithValues: records.map { ($0.line, $0.problems) })
        #expect(records.map(\.line) == Array(2...11))
        #expect(byLine[2] == [])
        #expect(byLine[3] == [.invalidUTF8(column: 3)])
        #expect(byLine[4] == [], "a NUL byte is data for the reader; the validator rejects it")
        #expect(byLine[5] == [.malformedQuote(column: 3)])
        #expect(byLine[6] == [.malformedQuote(column: 3)])
        #expect(byLine[7] == [.unterminatedQuote(column: 3)])
        #expect(byLine[8] == [])
        #expect(byLine[9] == [.wrongColumnCount(found: 5, expected: 4)])
        #expect(byLine[10] == [.wrongColumnCount(found: 3, expected: 4)])
        #expect(records.last?.cells == ["10", "RSK-10", "@SUM(1+1)", "+380 50 123"])
        #expect(records[2].cells[2] == "Nul\u{0}byte")
        #expect(records[5].cells == ["6", "RSK-6"], "cells read before the broken one are kept for the case id")
    }

    @Test("huge cells and records are reported, memory stays bounded, reading goes on")
    func hugeCells() throws {
        var text = "Nr;Fall-ID;Notiz\r\n1;RSK-1;" + String(repeating: "x", count: 70_000) + "\r\n"
        text += "2;RSK-2;\"" + String(repeating: "y\n", count: 40) + "\"\r\n"
        text += "3;RSK-3;" + String(repeating: "w", count: 3_000_000) + "\r\n4;RSK-4;ok\r\n"
        let options = CSVReaderOptions(maxCellBytes: 65_536, maxRecordBytes: 1 << 20, maxRecordLines: 100, chunkSize: 4096)
        let reader = try CSVRecordReader(source: MemoryByteSource(Array(text.utf8)), fileName: "huge.csv", options: options)
        let records = try TestSupport.readAll(reader)
        #expect(records.map(\.line) == [2, 3, 44, 45])
        #expect(records[0].problems == [.cellTooLarge(column: 3, limit: 65_536)])
        #expect(records[1].problems.isEmpty && records[1].lastLine == 43 && records[1].cells[2] == String(repeating: "y\n", count: 40))
        #expect(records[2].problems == [.recordTooLarge(limit: 1 << 20)])
        #expect(records[3].cells == ["4", "RSK-4", "ok"] && records[3].problems.isEmpty)
    }

    @Test("a quote left open never swallows the following rows (line limit and EOF)")
    func unterminatedQuoteResync() throws {
        var lines = ["Nr;Fall-ID;Name"]
        lines.append("1;RSK-1;\"Olena")
        for i in 2...150 { lines.append("\(i);RSK-\(i);Name\(i)") }
        let text = lines.joined(separator: "\r\n") + "\r\n"
        let reader = try CSVRecordReader(source: MemoryByteSource(Array(text.utf8), maxReadSize: 100), fileName: "q.csv",
                                         options: CSVReaderOptions(maxRecordLines: 100, chunkSize: 64))
        let records = try TestSupport.readAll(reader)
        #expect(records.first?.line == 2)
        #expect(records.first?.problems == [.unterminatedQuote(column: 3)])
        #expect(records.dropFirst().map(\.line) == Array(3...151))
        #expect(records.dropFirst().allSatisfy { $0.problems.isEmpty })
    }

    @Test("file-level errors: empty file, UTF-16, broken header")
    func fileLevel() throws {
        #expect(throws: DriveExportError.emptyInput(file: "e.csv")) {
            try CSVRecordReader(source: MemoryByteSource([]), fileName: "e.csv")
        }
        #expect(throws: DriveExportError.unsupportedEncoding(file: "u.csv", encoding: "UTF-16")) {
            try CSVRecordReader(source: MemoryByteSource([0xFF, 0xFE, 0x41, 0x00]), fileName: "u.csv")
        }
        #expect(throws: DriveExportError.self) {
            try CSVRecordReader(source: MemoryByteSource(Array("A;\"B\"x;C\r\n1;2;3\r\n".utf8)), fileName: "h.csv")
        }
    }

    /// UTF-16 without a byte-order mark is named as such (an export probe's file was said to "end in CR only"); a UTF-8
    /// list starting with a one-letter column is not taken for it.
    @Test(arguments: [(true, "UTF-16LE"), (false, "UTF-16BE")])
    func utf16WithoutAByteOrderMark(littleEndian: Bool, name: String) throws {
        let text = "Lfd. Nr.;Fall-ID\r\n1;RSK-1\r\n"
        let bytes = text.utf16.flatMap { u in littleEndian ? [UInt8(u & 0xFF), UInt8(u >> 8)] : [UInt8(u >> 8), UInt8(u & 0xFF)] }
        #expect(throws: DriveExportError.unsupportedEncoding(file: "u.csv", encoding: name)) {
            try CSVRecordReader(source: MemoryByteSource(bytes), fileName: "u.csv")
        }
        let reader = try CSVRecordReader(source: MemoryByteSource(Array("A;B\r\n1;2\r\n".utf8)), fileName: "a.csv")
        #expect(reader.header == ["A", "B"])
    }
}

/// SHA-256 through the `sha256sum` tool, an implementation independent of ours.
enum SHA256Reference {
    static func hash(_ bytes: [UInt8]) -> [UInt8] {
        let r = try! TestSupport.run("/usr/bin/env", ["python3", "-c", "import sys,hashlib; sys.stdout.write(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())"], stdin: Data(bytes))
        let hex = String(decoding: r.out, as: UTF8.self)
        return stride(from: 0, to: hex.count, by: 2).map { i in
            let s = hex.index(hex.startIndex, offsetBy: i)
            return UInt8(hex[s..<hex.index(s, offsetBy: 2)], radix: 16)!
        }
    }
}

@Suite("Input digest")
struct InputDigestTests {
    @Test("the reader's by-product digest and InputDigest both equal sha256sum", arguments: [
        "data/registrations-messy.csv", "data/registrations-sample.csv",
    ])
    func digest(relative: String) throws {
        let path = TestSupport.shared.appendingPathComponent(relative).path
        let sum = try TestSupport.run("/usr/bin/sha256sum", [path])
        let expected = String(String(decoding: sum.out, as: UTF8.self).prefix(64))
        #expect(try InputDigest.sha256Hex(ofFile: path) == expected)
        let reader = try CSVRecordReader(path: path, options: CSVReaderOptions(chunkSize: 1000))
        while try reader.next() != nil {}
        #expect(reader.inputSHA256.map { $0.map { String(format: "%02x", $0) }.joined() } == expected)
        #expect(reader.bytesRead == (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int))
    }

    @Test("a missing input file is an I/O error naming the path")
    func missing() {
        #expect(throws: DriveExportError.io(path: "/nonexistent/list.csv", operation: "open", errno: ENOENT)) {
            try InputDigest.sha256Hex(ofFile: "/nonexistent/list.csv")
        }
    }
}
