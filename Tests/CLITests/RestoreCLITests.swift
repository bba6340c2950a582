import Foundation
import TestFolders
import Testing

/// `consentgate restore`: exit codes per CONTRACTS §8, both languages, refused while another process has the database
/// open (here `flock(1)` holding the in-use lock as `serve` does).
@Suite struct RestoreCLITests {
    @Test func restoreThenVerifyAgainstTheBackupsCheckpoint() throws {
        let folder = try TemporaryDirectory("cli-restore")
        let (db, backup, checkpoint, entries) = try BackupCLITests.backedUpThenOneMore(in: folder)

        let de = try CLIRunner.run(["restore", "--from", backup, "--db", db], environment: ["CONSENTGATE_LANG": "de"])
        #expect(de.exitCode == 0, "\(de)")
        #expect(de.stdout.hasPrefix("Wiederhergestellt: \(db) aus \(backup) ("), "\(de)")
        #expect(de.stdout.contains("Die bisherige Datenbank liegt unverändert in "), "\(de)")
        let verify = try CLIRunner.run(["audit", "verify", "--demo", "--db", db, "--trusted-checkpoint", checkpoint.path, "--json"])
        #expect(verify.exitCode == 0, "\(verify)")
        #expect(verify.json?["tree-size"] as? Int == entries)

        // Again, in English and JSON, into a chosen folder for the replaced files.
        let keep = folder.url.appendingPathComponent("kept").path
        let en = try CLIRunner.run(["restore", "--from", backup, "--db", db, "--keep-dir", keep, "--json"])
        #expect(en.exitCode == 0, "\(en)")
        #expect(en.json?["replaced-folder"] as? String == keep)
        #expect(FileManager.default.fileExists(atPath: keep + "/consentgate.sqlite"))

        // The same --keep-dir again: it exists now, a usage error before anything is read; the database stays as it is.
        let before = try Data(contentsOf: URL(fileURLWithPath: db))
        let again = try CLIRunner.run(["restore", "--from", backup, "--db", db, "--keep-dir", keep], environment: ["CONSENTGATE_LANG": "en"])
        #expect(again.exitCode == 2, "\(again)")
        #expect(again.stderr.contains("--keep-dir \(keep) exists already; name a folder that does not exist yet"), "\(again)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: db)) == before)
    }

    /// A folder given as the backup is named as such, not as a missing file (found in a review); a missing one as missing.
    @Test func aFolderOrAMissingFileIsNoBackup() throws {
        let folder = try TemporaryDirectory("cli-restore-folder")
        let db = try BackupCLITests.installation(in: folder)
        let dir = folder.url.appendingPathComponent("adir").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false)
        for (from, why) in [(dir, "is a folder, not a backup file"), (dir + "-missing", "the file does not exist")] {
            let r = try CLIRunner.run(["restore", "--from", from, "--db", db], environment: ["CONSENTGATE_LANG": "en"])
            #expect(r.exitCode == 3, "\(r)")
            #expect(r.stderr.contains(from) && r.stderr.contains(why), "\(r)")
        }
    }

    @Test func refusedWhileInUseAndForAFileThatIsNoBackup() throws {
        let folder = try TemporaryDirectory("cli-restore-refused")
        let db = try BackupCLITests.installation(in: folder)
        let backup = folder.url.appendingPathComponent("backup.sqlite").path
        #expect(try CLIRunner.run(["backup", "--db", db, "--out", backup]).exitCode == 0)

        // Another process holds the in-use lock shared, as every process with the database open does.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        holder.arguments = ["--shared", db + ".inuse", "sleep", "60"]
        try holder.run()
        defer { holder.terminate(); holder.waitUntilExit() }
        var held = false
        for _ in 0..<100 where !held {   // until flock(1) has the lock: our exclusive attempt fails
            let probe = try CLIRunner.run(["restore", "--from", backup, "--db", db])
            held = probe.exitCode == 5
            if !held { Thread.sleep(forTimeInterval: 0.05) }
            if probe.exitCode == 0 { Issue.record("restored while flock(1) was starting: \(probe)"); return }
        }
        let busy = try CLIRunner.run(["restore", "--from", backup, "--db", db])
        #expect(busy.exitCode == 5, "\(busy)")
        #expect(busy.stderr == "error: database \(db) is in use (serve, an export run or another command has it open); stop it first, then restore\n")
        let dataFolder = (db as NSString).deletingLastPathComponent
        #expect(try FileManager.default.contentsOfDirectory(atPath: dataFolder).filter { $0.hasPrefix("replaced-") }.isEmpty)

        let notABackup = folder.url.appendingPathComponent("list.csv").path
        try Data("a;b\n1;2\n".utf8).write(to: URL(fileURLWithPath: notABackup))
        let invalid = try CLIRunner.run(["restore", "--from", notABackup, "--db", db])
        #expect(invalid.exitCode == 3, "\(invalid)")
        #expect(invalid.stderr.hasPrefix("error: \(notABackup) is not a usable backup: "), "\(invalid)")
    }
}
