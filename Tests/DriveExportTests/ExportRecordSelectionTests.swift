import Foundation
import Testing
@testable import DriveExport

/// An export profile's `records` condition selects which records go to the partner at all, also where the rules would
/// release a record's columns: the shipped profiles' conditions happen to match their rules (school-age children for the
/// Schulamt, minors for the Jugendamt), so no test noticed when the selection was dropped (found by mutation testing,
/// session 35). Here the Ausländerbehörde's profile selects adults only, which its rules do not ask for.
@Suite("An export profile's record selection", .serialized)
struct ExportRecordSelectionTests {
    @Test("records the profile does not select are left out of the partner's file, though the rules would release them")
    func unselectedRecordsAreLeftOut() throws {
        let folder = try ExportHarness.tempDir("record-selection")
        let policy = folder.path + "/policy"
        try FileManager.default.copyItem(atPath: ExportHarness.shippedPolicy, toPath: policy)
        let exports = policy + "/exports.yaml"
        let text = try String(contentsOfFile: exports, encoding: .utf8)
        let anchor = "    purpose: residence-registration\n"
        try #require(text.components(separatedBy: anchor).count == 2)
        try text.replacingOccurrences(of: anchor, with: anchor + "    records: {age: {ge: 18}}\n").write(toFile: exports, atomically: true, encoding: .utf8)
        try? FileManager.default.removeItem(atPath: policy + "/tests")

        let inst = try ExportHarness.open(dir: folder, policy: policy)
        defer { inst.remove() }
        _ = try inst.run(ExportHarness.sample)
        let run = try #require(ExportHarness.runFolders(inst.drive, "Auslaenderbehoerde").last)
        let csv = try ExportHarness.readPartnerCSV(inst.drive + "/Auslaenderbehoerde/" + run + "/registrations.csv")
        let born = try #require(csv.header.firstIndex(of: "Geburtsdatum"), "\(csv.header)")
        let births = csv.rows.map { $0[born] }
        #expect(!births.isEmpty, "adults are on the sample list")
        // Born after 2008-11-25: under 18 on the run's day (2026-11-25). Dates are written as the list has them (ISO or German).
        func year(_ text: String) -> Int? { Int(text.count == 10 && text.contains(".") ? String(text.suffix(4)) : String(text.prefix(4))) }
        let minors = births.filter { (year($0) ?? 0) > 2008 }
        #expect(minors.isEmpty, "minors sent though the profile selects adults: \(minors)")
        // The same list without the selection sends minors: the rules alone would release them.
        let all = try ExportHarness.rows(ExportHarness.sample)
        #expect(all.contains { (year($0["Geburtsdatum"] ?? "") ?? 0) > 2009 }, "the sample has minors")
    }
}
