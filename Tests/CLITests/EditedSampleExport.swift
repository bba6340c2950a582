import Foundation
import Testing

/// The sample list with some of its rows edited, exported once by the CLI (`ExportOpsReviewCLITests.Setup`), and
/// what came out: the command's result, the Ausländerbehörde's `registrations.csv` (every readable record goes there)
/// and the quarantine report.
struct EditedSampleExport {
    let result: CLIResult
    let auslaenderbehoerdeCSV: String
    let quarantineReport: String

    /// Exports the sample after replacing, in data line `row` (1 = the first record), `old` (which must occur there) by
    /// `new`, for each edit; `args` are added to the export command.
    init(_ s: ExportOpsReviewCLITests.Setup, edits: [(row: Int, old: String, new: String)], args: [String] = []) throws {
        var lines = try String(contentsOfFile: ExportCLITests.Installation.sample, encoding: .utf8).components(separatedBy: "\r\n")
        for e in edits {
            try #require(lines[e.row].contains(e.old), "line \(e.row + 1) holds \(e.old)")
            lines[e.row] = lines[e.row].replacingOccurrences(of: e.old, with: e.new)
        }
        let list = s.path("liste.csv")
        try Data(lines.joined(separator: "\r\n").utf8).write(to: URL(fileURLWithPath: list))
        result = try s.run(["export"], ["--input", list, "--drive", s.path("drive"), "--quarantine-dir", s.path("reports")] + args)
        let folder = try #require(s.runFolders("Auslaenderbehoerde").first, "\(result)")
        auslaenderbehoerdeCSV = try String(contentsOfFile: folder + "/registrations.csv", encoding: .utf8)
        let reports = try FileManager.default.contentsOfDirectory(atPath: s.path("reports")).filter { $0.hasSuffix(".csv") }
        quarantineReport = try String(contentsOfFile: s.path("reports/" + (try #require(reports.first))), encoding: .utf8)
    }
}
