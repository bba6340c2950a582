import Foundation
import Testing
@testable import DriveExport

@Suite("Registration lists: validation and quarantine")
struct RegistrationListTests {
    /// The quarantine code each of the generator's broken-row kinds must produce.
    static let expectedCode: [String: QuarantineReason.Code] = [
        "missing-birth-date": .missingRequiredField, "impossible-date": .invalidDate,
        "birth-in-future": .birthDateInFuture, "too-few-columns": .wrongColumnCount,
        "too-many-columns": .wrongColumnCount, "formula-injection": .formulaContent,
        "unknown-municipality": .unknownMunicipality, "duplicate-case-id": .duplicateCaseID,
        "unterminated-quote": .unterminatedQuote, "overlong-cell": .cellTooLarge,
        "bad-postcode": .invalidPostcode, "control-characters": .controlCharacters,
    ]

    /// `broken row at line N: kind` lines, as the generator prints them.
    static func parseBrokenList(_ text: String) -> [Int: String] {
        var out: [Int: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            let parts = line.split(separator: ":")
            guard parts.count == 2, let n = Int(parts[0].split(separator: " ").last ?? "") else { continue }
            out[n] = parts[1].trimmingCharacters(in: .whitespaces)
        }
        return out
    }

    /// Checks that exactly the broken lines are quarantined, each with its expected reason.
    static func check(rows: [RegistrationRow], broken: [Int: String], totalDataLines: Int) {
        let quarantined = rows.compactMap { if case .quarantined(let q) = $0 { q } else { nil } }
        let valid = rows.compactMap { if case .valid(let r) = $0 { r } else { nil } }
        #expect(Set(quarantined.map(\.line)) == Set(broken.keys), "quarantined lines must be exactly the broken ones")
        for q in quarantined {
            guard let kind = broken[q.line], let code = expectedCode[kind] else { continue }
            #expect(q.reasons.map(\.code).contains(code), "line \(q.line) (\(kind)) reported as \(q.reasons.map(\.code))")
        }
        #expect(valid.count + quarantined.count == totalDataLines, "every row is either valid or quarantined")
        #expect(Set(valid.map(\.line)).isDisjoint(with: broken.keys))
    }

    @Test("every broken row of registrations-messy.csv is reported at its line; no valid row is")
    func messyList() throws {
        let data = TestSupport.shared.appendingPathComponent("data")
        let broken = Self.parseBrokenList(try String(contentsOf: data.appendingPathComponent("registrations-messy.broken.txt"), encoding: .utf8))
        #expect(broken.count == 24)
        let rows = try TestSupport.readRows(path: data.appendingPathComponent("registrations-messy.csv").path)
        Self.check(rows: rows, broken: broken, totalDataLines: 300)
        let dup = rows.first { $0.line == 109 }
        if case .quarantined(let q)? = dup {
            #expect(q.reasons.first?.text.en == "duplicate case id (first in line 2) (column 2 \"Fall-ID\")")
            #expect(q.caseID == "RSK-2022-000001")
        } else { Issue.record("line 109 not quarantined") }
    }

    @Test("the sample list is read without a single quarantined row")
    func sampleList() throws {
        let rows = try TestSupport.readRows(path: TestSupport.shared.appendingPathComponent("data/registrations-sample.csv").path)
        #expect(rows.count == 200)
        let quarantined = rows.filter { if case .quarantined = $0 { true } else { false } }
        #expect(quarantined.isEmpty, "\(quarantined)")
        if case .valid(let r)? = rows.first {
            #expect(r.line == 2 && r.caseID.hasPrefix("RSK-2022-"))
            #expect(r["name.family-cyrillic"]?.unicodeScalars.first.map { (0x0400...0x04FF).contains($0.value) } == true)
            #expect(r["municipality"] != nil && r.birthDate != nil)
        }
    }

    @Test("generated lists with broken rows: BOM or not, CRLF or LF, several seeds", arguments: [
        (1, false, false), (2, true, false), (3, false, true), (4, true, true), (5, false, false),
    ])
    func generatedLists(seed: Int, bom: Bool, lf: Bool) throws {
        let dir = try TestSupport.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var args = [TestSupport.generator, "--rows", "600", "--bad", "48", "--seed", String(seed)]
        if bom { args.append("--bom") }
        let r = try TestSupport.run("/usr/bin/env", ["python3"] + args)
        #expect(r.status == 0)
        let bytes = lf ? Data(String(decoding: r.out, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n").utf8) : r.out
        let path = dir + "/list.csv"
        try bytes.write(to: URL(fileURLWithPath: path))
        let broken = Self.parseBrokenList(String(decoding: r.err, as: UTF8.self))
        #expect(broken.count == 48)
        for chunk in [1 << 18, 1000] {
            let rows = try TestSupport.readRows(path: path, options: CSVReaderOptions(chunkSize: chunk))
            Self.check(rows: rows, broken: broken, totalDataLines: 600)
        }
    }

    @Test("dates: German and ISO, impossible dates, birth in the future relative to now", arguments: [
        ("24.12.2015", CivilDate(year: 2015, month: 12, day: 24)), ("1.2.2015", CivilDate(year: 2015, month: 2, day: 1)),
        ("2016-02-29", CivilDate(year: 2016, month: 2, day: 29)), ("29.02.2015", nil), ("31.02.2015", nil),
        ("2015-2-1", nil), ("24.12.15", nil), ("12/24/2015", nil), ("", nil), ("24.12.1899", nil), (" 03.04.2020 ", CivilDate(year: 2020, month: 4, day: 3)),
        ("\t2016-02-29\t", CivilDate(year: 2016, month: 2, day: 29)), ("24. 12.2015", nil), ("24.12.2015 x", nil),
        ("24-12-2015", nil), ("2016.02.29", nil), ("24.12.2015.1", nil), ("1.1.12345", nil), ("24..2015", nil),
        ("24.12-2015", nil), (".12.2015", nil), ("24.12.", nil), ("29.02.2000", CivilDate(year: 2000, month: 2, day: 29)),
        ("29.02.2100", nil), ("   ", nil),
    ])
    func dates(text: String, expected: CivilDate?) {
        #expect(CivilDate(parsing: text) == expected)
    }

    @Test("cell checks: control characters, formulas, case ids, postcodes")
    func cellChecks() {
        for bad in ["a\u{0}b", "a\u{1B}[2J", "x\u{7F}", "x\u{85}y", "evil\u{202E}txt", "\u{2066}x"] {
            #expect(CellChecks.hasControlCharacters(bad), "\(bad.unicodeScalars.map(\.value))")
        }
        for good in ["Олена", "Zeile\r\nzwei", "Tab\tok", "Straße 1", "€ – „x“"] { #expect(!CellChecks.hasControlCharacters(good)) }
        for f in ["=1+1", "=HYPERLINK(\"x\")", "@SUM(1+1)", "+HYPERLINK(\"a\")", "-2+3+cmd|' /C calc'!A0", "+=1"] {
            #expect(CellChecks.looksLikeFormula(f), "\(f)")
        }
        for d in ["+380 50 123 4567", "- Diabetes (Typ 1)", "-", "Olena", "@home", "-5"] { #expect(!CellChecks.looksLikeFormula(d), "\(d)") }
        #expect(CellChecks.isValidCaseID("RSK-2022-000017"))
        for bad in ["", "../etc", "a/b", " RSK-1", "RSK 1", ".hidden", String(repeating: "a", count: 65), "=1+1"] {
            #expect(!CellChecks.isValidCaseID(bad))
        }
        #expect(CellChecks.isValidPostcode("53721") && !CellChecks.isValidPostcode("5384O") && !CellChecks.isValidPostcode("1234"))
    }

    @Test("hostile rows through the validator: formula, NUL, invalid UTF-8, path tricks in the case id")
    func hostileRows() throws {
        let text = "Fall-ID;Kommune;Geburtsdatum;Name\r\nRSK-1;Siegburg;01.02.2010;=1+1\r\nRSK-2;Siegburg;01.02.2010;a\u{0}b\r\n"
            + "../../etc;Siegburg;01.02.2010;x\r\nRSK-3;Siegburg;01.02.2010;+380 1\r\n"
        var bytes = Array(text.utf8)
        bytes += Array("RSK-4;Siegburg;01.02.2010;O".utf8) + [0xC3, 0x28] + Array("\r\n".utf8)
        let mapping = HeaderMapping(fieldsByHeader: ["Fall-ID": "case.id", "Kommune": "municipality", "Geburtsdatum": "birth.date", "Name": "name.family"])
        let csv = try CSVRecordReader(source: MemoryByteSource(bytes), fileName: "h.csv")
        let reader = try RegistrationListReader(csv: csv, mapping: mapping, schema: TestSupport.schema, now: TestSupport.now)
        var rows: [RegistrationRow] = []
        while let r = try reader.next() { rows.append(r) }
        func codes(_ line: Int) -> [QuarantineReason.Code]? {
            if case .quarantined(let q)? = rows.first(where: { $0.line == line }) { return q.reasons.map(\.code) }
            return nil
        }
        #expect(codes(2) == [.formulaContent])
        #expect(codes(3) == [.controlCharacters])
        #expect(codes(4) == [.invalidCaseID])
        #expect(codes(5) == nil, "a phone-like +380 is data, neutralised only when written")
        #expect(codes(6) == [.invalidUTF8])
        if case .quarantined(let q)? = rows.first(where: { $0.line == 4 }) { #expect(q.caseID == nil, "a path trick is never echoed as case id") }
        #expect(reader.validCount == 1 && reader.quarantinedCount == 4)
    }
}
