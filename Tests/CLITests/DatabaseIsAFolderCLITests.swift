import Foundation
import TestFolders
import Testing

/// `--db` naming a folder: a storage error naming it as such (exit 5), and no lock files left beside it (found in a
/// review: `check --db FOLDER` failed, but left `FOLDER.inuse` and `FOLDER.lock` behind).
@Suite struct DatabaseIsAFolderCLITests {
    @Test(arguments: [
        ["check", "--demo", "--subject", "RSK-2022-000002", "--partner", "jobcenter", "--purpose", "job-placement", "--fields", "name.family"],
        ["consent", "list", "--demo", "--subject", "RSK-2022-000002"],
        ["audit", "verify", "--demo"],
        ["users", "list"],
    ])
    func aFolderIsNoDatabase(command: [String]) throws {
        let folder = try TemporaryDirectory("cli-db-folder")
        let db = folder.url.appendingPathComponent("db").path
        try FileManager.default.createDirectory(atPath: db, withIntermediateDirectories: false)
        let r = try CLIRunner.run(command + ["--db", db], environment: ["CONSENTGATE_LANG": "en"])
        #expect(r.exitCode == 5, "\(r)")
        #expect(r.stderr.contains("\(db): is a folder, not a database file"), "\(r)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["db"], "nothing made beside it")
        #expect(try FileManager.default.contentsOfDirectory(atPath: db).isEmpty, "nothing made inside it")
    }
}
