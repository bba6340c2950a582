import Foundation
import Testing
@testable import DriveExport

@Suite("Quarantine report")
struct QuarantineReportTests {
    @Test("the messy list's report: German Excel CSV and JSON, one CSV line per reason, complete or absent")
    func messyReport() throws {
        let dir = try TestSupport.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let rows = try TestSupport.readRows(path: TestSupport.shared.appendingPathComponent("data/registrations-messy.csv").path)
        let entries = rows.compactMap { if case .quarantined(let q) = $0 { q } else { nil } }
        let writer = try QuarantineReportWriter(directory: dir, baseName: "quarantine", inputName: "registrations-messy.csv")
        for e in entries { try writer.add(e) }
        #expect(!FileManager.default.fileExists(atPath: dir + "/quarantine.csv"), "nothing visible before finish")
        try writer.finish()
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["quarantine.csv", "quarantine.json"])

        let reader = try CSVRecordReader(path: dir + "/quarantine.csv")
        #expect(reader.hadByteOrderMark && reader.header == QuarantineReportWriter.csvHeader)
        let lines = try TestSupport.readAll(reader)
        #expect(lines.count == entries.reduce(0) { $0 + $1.reasons.count })
        #expect(Set(lines.map { Int($0.cells[0])! }) == Set(entries.map(\.line)))
        let dateLine = lines.first { $0.cells[0] == "9" }
        #expect(dateLine?.cells[4] == "invalid-date" && dateLine?.cells[3] == "Geburtsdatum")
        #expect(dateLine?.cells[5].hasPrefix("kein gültiges Datum") == true && dateLine?.cells[6].hasPrefix("not a valid date") == true)

        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/quarantine.json"))) as! [String: Any]
        #expect(json["count"] as? Int == entries.count && json["input"] as? String == "registrations-messy.csv")
        let first = (json["entries"] as! [[String: Any]])[0]
        #expect(first["line"] as? Int == 4 && first["case-id"] as? String == "RSK-2022-000003")
        #expect(((first["reasons"] as! [[String: Any]])[0]["code"] as? String) == "missing-required-field")
    }
}
