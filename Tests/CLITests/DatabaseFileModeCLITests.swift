import Foundation
import TestFolders
import Testing

/// The database a command creates holds the people's consents, birth dates and the audit log: it, its -wal and -shm
/// files and the folder made for it are not readable by every user of the machine. They were created 0644 and 0755
/// (the process umask of a login shell), unlike the export's files (0640) and key files (0600).
@Suite struct DatabaseFileModeCLITests {
    @Test func aNewDatabaseAndItsFolderAreClosedToOthers() throws {
        let folder = try TemporaryDirectory("cli-db-mode")
        let data = folder.url.appendingPathComponent("data")
        let db = data.appendingPathComponent("consentgate.sqlite").path
        let grant = try CLIRunner.run(["consent", "grant", "--demo", "--db", db, "--subject", "RSK-2022-000002", "--clauses", "jobcenter",
                                       "--collected-by", "cm.troisdorf.1", "--municipality", "Troisdorf", "--birth-date", "1948-07-18"])
        #expect(grant.exitCode == 0, "\(grant)")
        let files = try FileManager.default.contentsOfDirectory(atPath: data.path).filter { $0.hasPrefix("consentgate.sqlite") }
        #expect(files.contains("consentgate.sqlite"), "\(files)")
        for name in files + ["."] {
            let path = data.appendingPathComponent(name).standardizedFileURL.path
            let mode = try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
            let what = name == "." ? "the folder data" : name
            #expect(mode & 0o007 == 0, "\(what) is open to others: \(String(mode, radix: 8))")
            #expect(mode & 0o020 == 0, "\(what) is writable by the group: \(String(mode, radix: 8))")
        }
    }
}
