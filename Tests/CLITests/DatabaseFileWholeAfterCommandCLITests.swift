import Foundation
import TestFolders
import Testing

/// When a command that writes has finished, its database file alone holds all it committed: a command's process ended
/// with nearly all the data still in `consentgate.sqlite-wal`, and a copy of `consentgate.sqlite` alone (an operator's
/// `cp` once nothing runs) held no table at all (found following docs/operations.md as written, 2026-12-06).
@Suite struct DatabaseFileWholeAfterCommandCLITests {
    @Test(arguments: [
        ["check", "--demo", "--subject", "RSK-2022-000001", "--partner", "jobcenter", "--purpose", "job-placement", "--fields", "name.family"],
        ["consent", "grant", "--demo", "--subject", "RSK-2022-000002", "--clauses", "jobcenter", "--collected-by", "cm.troisdorf.1",
         "--municipality", "Troisdorf", "--birth-date", "1948-07-18"],
    ])
    func theMainFileAloneHoldsWhatTheCommandWrote(_ command: [String]) throws {
        let folder = try TemporaryDirectory("cli-db-whole")
        let db = folder.url.appendingPathComponent("data/consentgate.sqlite").path
        let run = try CLIRunner.run(command + ["--db", db])
        #expect(run.exitCode == 0, "\(run)")
        // The main file alone, without its -wal and -shm, as `cp consentgate.sqlite` would copy it.
        let copy = folder.url.appendingPathComponent("copy.sqlite").path
        try FileManager.default.copyItem(atPath: db, toPath: copy)
        let count = try CLIRunner.runTool("sqlite3", [copy, "SELECT count(*) FROM audit_entry"])
        #expect(count.exitCode == 0, "\(count)")
        let entries = Int(count.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        #expect(entries > 0, "the copy holds the audit log: \(count)")
        let kinds = try CLIRunner.runTool("sqlite3", [copy, "SELECT count(*) FROM audit_entry WHERE kind IN ('decision', 'consent-granted')"])
        #expect(kinds.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "1", "the command's own entry is in the file: \(kinds)")
    }
}
