import ChildProcess
import Foundation
import TestFolders
import Testing

/// `consentgate backup`: a copy of the installation that `audit verify` accepts, owner-only, never replacing a file
/// unasked, exit codes per CONTRACTS §8, output in both languages.
@Suite struct BackupCLITests {
    /// A demo installation with a few audit entries (two checks), in `folder`.
    static func installation(in folder: TemporaryDirectory) throws -> String {
        let db = folder.url.appendingPathComponent("data/consentgate.sqlite").path
        for subject in ["RSK-2022-000001", "RSK-2022-000002"] { try decide(db, subject: subject) }
        return db
    }

    /// One logged decision (a `check`) in the installation `db`.
    static func decide(_ db: String, subject: String) throws {
        let r = try CLIRunner.run(["check", "--demo", "--db", db, "--subject", subject, "--partner", "auslaenderbehoerde",
                                   "--purpose", "residence-registration", "--fields", "name.family,health.notes"])
        #expect(r.exitCode == 0, "\(r)")
    }

    /// An installation in `folder` backed up (`backup.sqlite`, its latest checkpoint kept in `at-backup.txt`) and then
    /// one decision further, so its log is newer than the backup.
    static func backedUpThenOneMore(in folder: TemporaryDirectory) throws -> (db: String, backup: String, checkpoint: URL, entries: Int) {
        let db = try installation(in: folder)
        let backup = folder.url.appendingPathComponent("backup.sqlite").path
        let made = try CLIRunner.run(["backup", "--db", db, "--out", backup, "--json"])
        let checkpoint = folder.url.appendingPathComponent("at-backup.txt")
        try Data(try #require(made.json?["latest-checkpoint"] as? String).utf8).write(to: checkpoint)
        try decide(db, subject: "RSK-2022-000003")
        return (db, backup, checkpoint, try #require(made.json?["audit-entries"] as? Int))
    }

    @Test func theBackupVerifiesAsTheInstallationDoes() throws {
        let folder = try TemporaryDirectory("cli-backup")
        let db = try Self.installation(in: folder)
        let target = folder.url.appendingPathComponent("backup.sqlite").path

        let r = try CLIRunner.run(["backup", "--db", db, "--out", target, "--json"])
        #expect(r.exitCode == 0, "\(r)")
        let json = try #require(r.json, "\(r)")
        #expect(json["path"] as? String == target)
        let entries = try #require(json["audit-entries"] as? Int)
        #expect(entries > 2)
        let checkpoint = try #require(json["latest-checkpoint"] as? String)
        #expect(checkpoint.contains("\n\(entries)\n"), "the checkpoint is of the copied tree size")
        let mode = try FileManager.default.attributesOfItem(atPath: target)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        // Nothing but the installation's own files and the backup in the folders.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["backup.sqlite", "data"])

        let live = try CLIRunner.run(["audit", "verify", "--demo", "--db", db, "--json"])
        let copy = try CLIRunner.run(["audit", "verify", "--demo", "--db", target, "--json"])
        #expect(copy.exitCode == 0, "\(copy)")
        #expect(copy.json?["tree-size"] as? Int == entries)
        #expect(copy.json?["root-hash"] as? String == live.json?["root-hash"] as? String)
        // The checkpoint printed at backup time is one the copy still extends.
        let kept = folder.url.appendingPathComponent("backup-checkpoint.txt")
        try Data(checkpoint.utf8).write(to: kept)
        let trusted = try CLIRunner.run(["audit", "verify", "--demo", "--db", target, "--trusted-checkpoint", kept.path])
        #expect(trusted.exitCode == 0, "\(trusted)")
    }

    @Test func textInBothLanguagesAndNoReplacementWithoutForce() throws {
        let folder = try TemporaryDirectory("cli-backup-text")
        let db = try Self.installation(in: folder)
        let target = folder.url.appendingPathComponent("backup.sqlite").path

        let en = try CLIRunner.run(["backup", "--db", db, "--out", target])
        #expect(en.exitCode == 0, "\(en)")
        #expect(en.stdout.hasPrefix("backup written: \(target) ("), "\(en)")
        #expect(en.stdout.contains("audit log entries)\nThe backup's latest checkpoint"), "\(en)")
        let first = try Data(contentsOf: URL(fileURLWithPath: target))

        let refused = try CLIRunner.run(["backup", "--db", db, "--out", target], environment: ["CONSENTGATE_LANG": "de"])
        #expect(refused.exitCode == 2, "\(refused)")
        #expect(refused.stderr == "Fehler: --out: \(target) gibt es schon; es wird nur mit --force ersetzt (oder ein anderes Ziel angeben)\n")
        #expect(try Data(contentsOf: URL(fileURLWithPath: target)) == first)

        // One more audit entry, then the backup is replaced with --force, in German.
        try Self.decide(db, subject: "RSK-2022-000003")
        let de = try CLIRunner.run(["backup", "--db", db, "--out", target, "--force", "--lang", "de"])
        #expect(de.exitCode == 0, "\(de)")
        #expect(de.stdout.hasPrefix("Sicherung geschrieben: \(target) ("), "\(de)")
        #expect(de.stdout.contains("Einträge im Audit-Protokoll)\nNeuester Checkpoint der Sicherung"), "\(de)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: target)) != first)
    }

    /// docs/operations.md, restore step 4: a backup restored after the log grew is shown to be older than a checkpoint
    /// signed since (exit 4, "rolled back"), and holds against the checkpoint printed when it was made.
    @Test func aRestoredOlderBackupIsShownToBeRolledBack() throws {
        let folder = try TemporaryDirectory("cli-backup-restore")
        // The installation goes on after its backup (one more decision), and its newer checkpoint is kept elsewhere.
        let (db, backup, atBackup, _) = try Self.backedUpThenOneMore(in: folder)
        let newer = folder.url.appendingPathComponent("newer.txt")
        try Data(try CLIRunner.run(["audit", "checkpoint", "--db", db]).stdoutBytes).write(to: newer)
        // Restore: the backup copied to a database name of its own.
        let restored = folder.url.appendingPathComponent("restored/consentgate.sqlite")
        try FileManager.default.createDirectory(at: restored.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: backup, toPath: restored.path)

        let holds = try CLIRunner.run(["audit", "verify", "--demo", "--db", restored.path, "--trusted-checkpoint", atBackup.path])
        #expect(holds.exitCode == 0, "\(holds)")
        let rolledBack = try CLIRunner.run(["audit", "verify", "--demo", "--db", restored.path, "--trusted-checkpoint", newer.path])
        #expect(rolledBack.exitCode == 4, "\(rolledBack)")
        #expect(rolledBack.stderr.contains("rolled back"), "\(rolledBack)")
    }

    /// `--out` naming the database itself is a usage error (exit 2) with or without `--force`, never "use --force".
    @Test func theDatabaseIsNotItsOwnBackupTarget() throws {
        let folder = try TemporaryDirectory("cli-backup-self")
        let db = try Self.installation(in: folder)
        // The same file afterwards (a replacement would be a new inode), and the installation still verifies.
        let inode = { try FileManager.default.attributesOfItem(atPath: db)[.systemFileNumber] as? Int }
        let before = try inode()
        for force in [[], ["--force"]] {
            let r = try CLIRunner.run(["backup", "--db", db, "--out", db] + force)
            #expect(r.exitCode == 2, "\(r)")
            #expect(r.stderr == "error: --out: \(db) is the database \(db) or a file beside it; write the backup somewhere else\n", "\(r)")
        }
        #expect(try inode() == before)
        #expect(try CLIRunner.run(["audit", "verify", "--demo", "--db", db]).exitCode == 0)
    }

    @Test func aMissingDatabaseOrFolderIsExitFive() throws {
        let folder = try TemporaryDirectory("cli-backup-missing")
        let missing = folder.url.appendingPathComponent("nothing.sqlite").path
        let r = try CLIRunner.run(["backup", "--db", missing, "--out", folder.url.appendingPathComponent("b.sqlite").path])
        #expect(r.exitCode == 5, "\(r)")
        #expect(r.stderr == "error: database \(missing) does not exist; backup only reads and does not create one (check --db or CONSENTGATE_DB)\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == [])

        let db = try Self.installation(in: folder)
        let nowhere = folder.url.appendingPathComponent("no-folder/b.sqlite").path
        let n = try CLIRunner.run(["backup", "--db", db, "--out", nowhere])
        #expect(n.exitCode == 5, "\(n)")
        #expect(n.stderr.hasPrefix("error: cannot create backup \(nowhere): "), "\(n)")
    }

    /// Backups started at once to the same `--out`: one writes it, every other one is refused as for an existing file
    /// (exit 2), also when its name was taken only while it wrote (a review of processes working at once saw exit 5
    /// "write failed: create (without replacing): already exists"), and nothing is left behind.
    @Test func backupsRacingForOneNameLeaveOneFileAndSayExistsAlready() throws {
        let folder = try TemporaryDirectory("cli-backup-race")
        let db = try Self.installation(in: folder)
        let out = folder.url.appendingPathComponent("same.sqlite").path
        let binary = try CLIRunner.executableURL.path
        var env = ProcessInfo.processInfo.environment
        env["CONSENTGATE_LANG"] = "en"
        let children = try (0..<4).map { _ in
            try Spawn.start(binary, ["backup", "--db", db, "--out", out], environment: .exactly(env),
                            workingDirectory: CLIRunner.packageRoot.path)
        }
        let results = try children.map { try $0.waitForExit(timeout: 120) }
        #expect(results.filter { $0.status == 0 }.count == 1, "\(results.map(\.status))")
        for r in results where r.status != 0 {
            #expect(r.status == 2, "\(String(decoding: r.stderr, as: UTF8.self))")
            #expect(String(decoding: r.stderr, as: UTF8.self).hasPrefix("error: --out: \(out) exists already"),
                    "\(String(decoding: r.stderr, as: UTF8.self))")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix(".same.sqlite") } == [])
    }
}
