import Foundation
import Testing
@testable import DriveExport

/// A stray quote that a later stray quote closes makes one "multi-line cell" of several rows. In a field where a
/// line break makes no sense (every field of the policy: names, ids, dates, codes) the row is quarantined
/// (`line-break-in-cell`, naming the column and the line the cell began on), and the lines after its first are
/// read on their own, so a swallowed row is exported or quarantined by itself and never goes out inside a cell.
@Suite("Line breaks in single-line fields")
struct LineBreakQuarantineTests {
    static let header = ["Fall-ID", "Kommune", "Geburtsdatum", "Name", "Notiz"]
    static let mapping = HeaderMapping(fieldsByHeader: ["Fall-ID": "case.id", "Kommune": "municipality", "Geburtsdatum": "birth.date",
                                                        "Name": "name.family", "Notiz": "notes"])
    static func row(_ n: Int) -> [String] { ["RSK-\(n)", "Siegburg", "01.02.2010", "Name \(n)", "Notiz \(n)"] }

    /// Line 2 opens a quote in column `column` (0-based) that line 4 closes; line 3 is a whole row in between.
    static func strayQuoteList(column: Int) -> [UInt8] {
        let second = row(2), fourth = row(4)
        let line2 = (second.prefix(column) + ["\"" + second[column]]).joined(separator: ";")
        let line4 = (["x\""] + fourth.suffix(from: column + 1)).joined(separator: ";")
        return Array(([header.joined(separator: ";"), line2, row(3).joined(separator: ";"), line4, row(5).joined(separator: ";")]
            .joined(separator: "\r\n") + "\r\n").utf8)
    }

    static func rows(_ bytes: [UInt8], multiline: Set<String> = []) throws -> [RegistrationRow] {
        var schema = TestSupport.schema
        schema.multilineFields = multiline
        let csv = try CSVRecordReader(source: MemoryByteSource(bytes, maxReadSize: 7), fileName: "list.csv")
        let reader = try RegistrationListReader(csv: csv, mapping: mapping, schema: schema, now: TestSupport.now)
        var out: [RegistrationRow] = []
        while let r = try reader.next() { out.append(r) }
        return out
    }

    @Test("a stray quote in any single-line column: the row is quarantined at its line, the swallowed row read on its own",
          arguments: 0..<5)
    func strayQuote(column: Int) throws {
        let rows = try Self.rows(Self.strayQuoteList(column: column))
        try #require(rows.map(\.line) == [2, 3, 4, 5], "the swallowed line is read on its own")
        guard case .quarantined(let q) = rows[0] else { Issue.record("line 2 exported: \(rows[0])"); return }
        #expect(q.reasons == [QuarantineReason(code: .lineBreakInCell, columnNumber: column + 1, columnName: Self.header[column], detail: "2")])
        #expect(q.caseID == (column == 0 ? nil : "RSK-2"), "a case id read after the broken cell is not trusted")
        #expect(q.reasons[0].text.de.contains("Spalte \(column + 1) „\(Self.header[column])“") && q.reasons[0].text.de.contains("beginnt in Zeile 2"))
        #expect(q.reasons[0].text.de.contains("Anführungszeichen"))
        #expect(q.reasons[0].text.en.contains("column \(column + 1) \"\(Self.header[column])\"") && q.reasons[0].text.en.contains("begins in line 2"))
        #expect(q.reasons[0].text.en.contains("quote"))
        guard case .valid(let swallowed) = rows[1] else { Issue.record("line 3 not read on its own: \(rows[1])"); return }
        #expect(swallowed.caseID == "RSK-3" && swallowed.values == Self.row(3))
        if case .quarantined(let fourth) = rows[2] { #expect(fourth.reasons.map(\.code) == [.malformedQuote]) } else { Issue.record("line 4: \(rows[2])") }
        if case .valid(let fifth) = rows[3] { #expect(fifth.caseID == "RSK-5") } else { Issue.record("line 5: \(rows[3])") }
    }

    @Test("a field the schema declares multi-line keeps its quoted line breaks (RFC 4180)", arguments: [
        ("\"Zeile eins\r\nZeile zwei\"", "Zeile eins\r\nZeile zwei"), ("\"drei\nZeilen\nhier\"", "drei\nZeilen\nhier"), ("\"a\rb\"", "a\rb"),
    ])
    func declaredMultiline(cell: String, value: String) throws {
        let text = Self.header.joined(separator: ";") + "\r\nRSK-2;Siegburg;01.02.2010;Name;" + cell + "\r\nRSK-3;Siegburg;01.02.2010;N;x\r\n"
        let allowed = try Self.rows(Array(text.utf8), multiline: ["notes"])
        guard case .valid(let r) = allowed.first else { Issue.record("\(allowed)"); return }
        #expect(r["notes"] == value && allowed.count == 2)
        let refused = try Self.rows(Array(text.utf8))
        guard case .quarantined(let q) = refused.first else { Issue.record("\(refused)"); return }
        #expect(q.reasons.map(\.code) == [.lineBreakInCell] && q.reasons.first?.columnNumber == 5 && q.reasons.first?.detail == "2")
    }

    @Test("a lone carriage return in a single-line cell is quarantined too, naming the line the cell begins on")
    func loneCarriageReturn() throws {
        let text = Self.header.joined(separator: ";") + "\r\nRSK-2;Siegburg;01.02.2010;\"Na\rme\";x\r\n"
        let rows = try Self.rows(Array(text.utf8))
        guard case .quarantined(let q) = rows.first else { Issue.record("\(rows)"); return }
        #expect(q.reasons == [QuarantineReason(code: .lineBreakInCell, columnNumber: 4, columnName: "Name", detail: "2")])
    }

    @Test("the export job: the swallowed person is exported on their own, no cell carries another row, the report names field and line")
    func exportJob() throws {
        let inst = try ExportHarness.open("stray-quote")
        defer { inst.remove() }
        let list = TestSupport.fixture("lists/stray-quote.csv")
        let summary = try inst.run(list)
        #expect(summary.rowsRead == 9 && summary.quarantined == 2)
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath:
            try #require(summary.quarantineReport).replacingOccurrences(of: ".csv", with: ".json")))) as! [String: Any]
        let entries = report["entries"] as! [[String: Any]]
        #expect(entries.map { $0["line"] as! Int } == [6, 8])
        let reason = try #require((entries.first?["reasons"] as? [[String: Any]])?.first)
        #expect(reason["code"] as? String == "line-break-in-cell")
        #expect(reason["column"] as? Int == 5 && reason["column-name"] as? String == "Vorname")
        #expect((reason["en"] as? String)?.contains("begins in line 6") == true)
        #expect(entries.first?["case-id"] as? String == "RSK-2022-000005")
        for partner in summary.partners {
            guard let path = partner.path else { continue }
            let rows = try ExportHarness.readPartnerCSV(path + "/registrations.csv").rows
            #expect(rows.allSatisfy { $0.allSatisfy { !$0.contains("\n") && !$0.contains("\r") && !$0.contains("Diabetes") } }, "\(partner.partner)")
            #expect(!rows.contains { $0[0] == "RSK-2022-000005" })
        }
        let abh = try #require(summary.partners.first { $0.partner == "auslaenderbehoerde" }?.path)
        let exported = try ExportHarness.readPartnerCSV(abh + "/registrations.csv").rows
        #expect(exported.contains { $0[0] == "RSK-2022-000008" && $0[2] == "Tetiana" }, "the swallowed person goes out on their own")
    }
}
