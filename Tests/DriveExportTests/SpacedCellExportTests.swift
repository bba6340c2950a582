import Foundation
import Testing
@testable import DriveExport

/// Spaces around a cell (typing noise in a spreadsheet) do not go out: a partner receives the case id the log, the
/// person's record and a later erasure notice name. An export probe found `RSK-2022-000001 ` in the Ausländerbehörde's
/// file beside an erasure notice for `RSK-2022-000001`, which the partner could not match to the record it held.
@Suite struct SpacedCellExportTests {
    @Test func aSpacedCaseIDAndNameGoOutTrimmed() throws {
        let inst = try ExportHarness.open("spaced")
        defer { inst.remove() }
        var lines = try String(contentsOfFile: ExportHarness.sample, encoding: .utf8).components(separatedBy: "\r\n")
        let header = lines[0].components(separatedBy: ";")
        let idColumn = try #require(header.firstIndex(of: "Fall-ID")), nameColumn = try #require(header.firstIndex(of: "Familienname"))
        var cells = lines[1].components(separatedBy: ";")
        let id = cells[idColumn], name = cells[nameColumn]
        cells[idColumn] = " \(id) \t"
        cells[nameColumn] = "\(name)  "
        lines[1] = cells.joined(separator: ";")
        let list = inst.dir + "/list.csv"
        try Data(lines.prefix(2).joined(separator: "\r\n").appending("\r\n").utf8).write(to: URL(fileURLWithPath: list))
        let summary = try inst.run(list)
        #expect(summary.quarantined == 0)
        let runs = ExportHarness.runFolders(inst.drive, "Auslaenderbehoerde")
        let csv = try ExportHarness.readPartnerCSV(inst.drive + "/Auslaenderbehoerde/" + (try #require(runs.first)) + "/registrations.csv")
        let row = try #require(csv.rows.first)
        #expect(row[try #require(csv.header.firstIndex(of: "Fall-ID"))] == id)
        #expect(row[try #require(csv.header.firstIndex(of: "Familienname"))] == name)
        // The log names the same id.
        #expect(try ExportHarness.disclosures(inst.gate).map(\.subject).contains(id))
    }
}
