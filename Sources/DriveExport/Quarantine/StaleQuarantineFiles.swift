#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Cleaning up the quarantine report's temporary files after a run that was killed while writing it.
extension QuarantineReportWriter {
    /// Removes the temporary files (`.<name>.csv.tmp-<random>`, `.<name>.json.tmp-<random>`) that reports whose names
    /// start with `prefix` left in `directory` when their run was killed (SIGTERM, SIGKILL, power loss): they hold
    /// case ids and reasons, and no later run would ever finish or remove them. A report still being written (its
    /// JSON temporary file locked by a live writer, see `init`) is left alone, also one of another installation's run
    /// sharing the folder. Best effort: a file that cannot be removed stays. Returns the removed paths.
    @discardableResult
    public static func removeStale(in directory: String, prefix: String = "quarantine-") -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        let temps = names.filter { $0.hasPrefix("." + prefix) && $0.contains(tempMarker) }
        var removed: [String] = []
        func remove(_ name: String) {
            if unlink(directory + "/" + name) == 0 { removed.append(directory + "/" + name) }
        }
        // A JSON temporary file whose lock can be taken has no writer any more; its CSV sibling goes with it.
        for json in temps.sorted() where json.contains(".json" + tempMarker) {
            _ = AbandonedLockFile.whileHeld(directory + "/" + json) {   // not when a live writer holds it
                remove(json)
                let csv = json.replacingOccurrences(of: ".json" + tempMarker, with: ".csv" + tempMarker)
                if temps.contains(csv) { remove(csv) }
            }
        }
        // A CSV temporary file without its JSON sibling: a writer creates the JSON file first and removes it last.
        for csv in temps.sorted() where csv.contains(".csv" + tempMarker) {
            let json = csv.replacingOccurrences(of: ".csv" + tempMarker, with: ".json" + tempMarker)
            if !FileManager.default.fileExists(atPath: directory + "/" + json),
               !removed.contains(directory + "/" + csv) { remove(csv) }
        }
        return removed
    }
}
