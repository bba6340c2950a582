import Foundation

/// The quarantine reports in a report folder: `quarantine-<run-id>.csv` (with its `.json` twin), one per run that held
/// rows back.
public enum QuarantineReportFiles {
    /// How many runs other than `runID` left a report (its CSV) in `directory`; 0 when the folder cannot be read.
    public static func earlier(in directory: String, than runID: String) -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { name in
            guard name.hasPrefix("quarantine-"), name.hasSuffix(".csv") else { return false }
            let id = String(name.dropFirst("quarantine-".count).dropLast(".csv".count))
            return RunID.isRunID(id) && id != runID
        }.count
    }
}
