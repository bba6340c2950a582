import Foundation
import TestFolders
import Testing

/// A negative number given to a numeric option is a value to refuse by name, not a "missing value" (found in a review:
/// `--wait -1` said "Wert fehlt für '--wait <wait>'"), and `audit log --limit` below 1 is refused rather than ignored
/// (`--limit=-5` listed every entry). Usage errors: exit 2, before anything is opened.
@Suite struct NegativeNumberOptionsCLITests {
    @Test(arguments: [
        (["audit", "log", "--demo", "--limit", "-5"], "--limit takes a whole number of entries from 1 up, not -5"),
        (["audit", "log", "--demo", "--limit=0"], "--limit takes a whole number of entries from 1 up, not 0"),
        (["audit", "log", "--demo", "--after", "-1"], "--after takes an entry index (0 or more), not -1"),
        (["export", "--demo", "--input", "x.csv", "--drive", "d", "--wait", "-1"], "--wait takes seconds from 0 to 86400, not -1.0"),
        (["export", "--demo", "--input", "x.csv", "--drive", "d", "--remove-quarantine-reports-after", "-3"],
         "--remove-quarantine-reports-after takes days from 1 to 36500, not -3"),
        (["serve", "--demo", "--port", "-1"], "--port -1"),
    ])
    func aNegativeValueIsNamed(args: [String], message: String) throws {
        let folder = try TemporaryDirectory("cli-negative")
        let db = folder.url.appendingPathComponent("db.sqlite").path
        let r = try CLIRunner.run(args + ["--db", db], environment: ["CONSENTGATE_LANG": "en"])
        #expect(r.exitCode == 2, "\(r)")
        #expect(r.stderr.contains(message), "\(r)")
        #expect(!r.stderr.contains("Missing value"), "\(r)")
        #expect(!FileManager.default.fileExists(atPath: db), "refused before the installation was opened")
    }
}
