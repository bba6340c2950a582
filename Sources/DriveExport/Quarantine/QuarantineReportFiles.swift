#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// The quarantine reports in a report folder: `quarantine-<run-id>.csv` (with its `.json` twin), one per run that held
/// rows back.
public enum QuarantineReportFiles {
    /// How many runs other than `runID` left a report (its CSV) in `directory`; 0 when the folder cannot be read.
    public static func earlier(in directory: String, than runID: String) -> Int {
        Set(reports(in: directory).filter { $0.runID != runID && $0.name.hasSuffix(".csv") }.map(\.runID)).count
    }

    /// Removes the reports (CSV and JSON) of runs other than `runID` that started before `cutoff`, as their run id's
    /// UTC time says, and returns how many runs' reports were removed. Only names of exactly the form
    /// `quarantine-<run-id>.csv` or `.json` are touched (never another file a case manager put in the folder, nor a
    /// report being written, whose name is a hidden temporary one); a run's report counts as removed when none of its
    /// files is left. A file that cannot be removed stays and is reported by `earlier` at the end of the run.
    @discardableResult
    public static func remove(in directory: String, startedBefore cutoff: Date, except runID: String) -> Int {
        let stale = reports(in: directory).filter { $0.runID != runID && ($0.started.map { $0 < cutoff } ?? false) }
        var removed = Set<String>(), kept = Set<String>()
        for report in stale {
            if unlink(directory + "/" + report.name) == 0 || errno == ENOENT { removed.insert(report.runID) } else { kept.insert(report.runID) }
        }
        return removed.subtracting(kept).count
    }

    /// The report files in `directory` by name, run id and the run's start time; none when it cannot be read.
    private static func reports(in directory: String) -> [(name: String, runID: String, started: Date?)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.compactMap { name in
            guard name.hasPrefix("quarantine-") else { return nil }
            let rest = name.dropFirst("quarantine-".count)
            let id: Substring
            if rest.hasSuffix(".csv") { id = rest.dropLast(4) } else if rest.hasSuffix(".json") { id = rest.dropLast(5) } else { return nil }
            guard RunID.isRunID(String(id)) else { return nil }
            return (name, String(id), RunID.startTime(of: String(id)))
        }
    }
}
