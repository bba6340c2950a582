import ChildProcess
import Foundation
import TestFolders
import Testing

/// `consentgate export` as a case manager runs it: the summary table in German and English, JSON, the dry run,
/// and the exit codes for a missing list (3), an unknown column (3), a missing drive (5) and a locked drive (5).
@Suite struct ExportCLITests {
    struct Installation {
        /// The folder, removed when the test lets go of the installation (or earlier by `remove()`).
        let folder: TemporaryDirectory
        var dir: URL { folder.url }
        init() throws {
            folder = try TemporaryDirectory("cli-test")
            _ = try folder.folder("drive")
            _ = try folder.folder("reports")
        }
        var drive: String { dir.appendingPathComponent("drive").path }
        var databasePath: String { dir.appendingPathComponent("db.sqlite").path }
        /// The rows `sql` gives, read with the stock sqlite3 tool.
        func sqlite(_ sql: String) throws -> [String] {
            let result = try Spawn.run("/usr/bin/sqlite3", [databasePath, sql], stderr: .inherit)
            return result.stdoutText.split(separator: "\n").map(String.init)
        }
        static var sample: String {
            CLIRunner.packageRoot.appendingPathComponent("../shared/data/registrations-sample.csv").standardizedFileURL.path
        }
        static var messy: String {
            CLIRunner.packageRoot.appendingPathComponent("../shared/data/registrations-messy.csv").standardizedFileURL.path
        }
        func export(_ args: [String], lang: String = "en") throws -> CLIResult {
            try CLIRunner.run(["export", "--demo", "--db", databasePath,
                               "--policy", CLIRunner.packageRoot.appendingPathComponent("policies/kim-rhein-sieg").path,
                               "--trust", CLIRunner.packageRoot.appendingPathComponent("keys/trust.yaml").path,
                               "--quarantine-dir", dir.appendingPathComponent("reports").path] + args,
                              environment: ["CONSENTGATE_LANG": lang])
        }
        func partnerEntries() -> [String] {
            let fm = FileManager.default
            return ((try? fm.contentsOfDirectory(atPath: drive)) ?? []).filter { !$0.hasPrefix(".") }
        }
        func remove() { try? FileManager.default.removeItem(at: dir) }
    }

    @Test func summaryTableInEnglishAndGermanThenNothingNew() throws {
        let inst = try Installation()
        defer { inst.remove() }
        let first = try inst.export(["--input", Installation.messy, "--drive", inst.drive])
        #expect(first.exitCode == 0, "quarantined rows are reported, not an error: \(first)")
        #expect(first.stdout.contains("Quarantined:"), "\(first)")
        #expect(first.stdout.contains("auslaenderbehoerde"))
        #expect(first.stdout.contains("Records"))
        #expect(Set(inst.partnerEntries()) == ["Auslaenderbehoerde", "Jugendamt", "Schulamt"])
        let again = try inst.export(["--input", Installation.messy, "--drive", inst.drive], lang: "de")
        #expect(again.exitCode == 0)
        #expect(again.stdout.contains("Quarantäne:") && again.stdout.contains("Datensätze"), "\(again)")
        #expect(again.stdout.contains("(nichts Neues)"))
    }

    @Test func jsonSummaryAndDryRun() throws {
        let inst = try Installation()
        defer { inst.remove() }
        let dry = try inst.export(["--input", Installation.sample, "--drive", inst.drive, "--dry-run", "--json"])
        #expect(dry.exitCode == 0, "\(dry)")
        let json = try #require(dry.json, "\(dry)")
        #expect(json["dry-run"] as? Bool == true)
        #expect(json["read"] as? Int == 200)
        let partners = try #require(json["partners"] as? [[String: Any]])
        let abh = try #require(partners.first { $0["partner"] as? String == "auslaenderbehoerde" })
        #expect(abh["records"] as? Int == 200)
        #expect((abh["columns"] as? [String])?.contains("case.id") == true)
        #expect(!((abh["columns"] as? [String])?.contains("health.notes") ?? true))
        #expect(inst.partnerEntries().isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: inst.drive).isEmpty, "dry run wrote nothing on the drive")
        // Before the first run there is no database: the dry run counts everything as new, says so, and creates none.
        #expect(dry.stderr.contains("no database at"), "\(dry)")
        #expect(!FileManager.default.fileExists(atPath: inst.databasePath), "a dry run must not create the database")
        let text = try inst.export(["--input", Installation.sample, "--drive", inst.drive, "--dry-run"])
        #expect(text.stdout.contains("Dry run") && text.stdout.contains("Columns for auslaenderbehoerde"), "\(text)")
        // After a real run the dry run reads the real database (read-only) and finds nothing new; it records nothing.
        #expect(try inst.export(["--input", Installation.sample, "--drive", inst.drive]).exitCode == 0)
        let entries = try inst.sqlite("SELECT count(*) FROM audit_entry;")
        let again = try inst.export(["--input", Installation.sample, "--drive", inst.drive, "--dry-run", "--json"])
        #expect(again.exitCode == 0 && !again.stderr.contains("no database"), "\(again)")
        let againJSON = try #require(again.json, "\(again)")
        let abhAgain = try #require((againJSON["partners"] as? [[String: Any]])?.first { $0["partner"] as? String == "auslaenderbehoerde" })
        #expect(abhAgain["records"] as? Int == 0)
        #expect(try inst.sqlite("SELECT count(*) FROM audit_entry;") == entries, "a dry run records nothing")
    }

    @Test func exitCodesForFileAndDriveErrors() throws {
        let inst = try Installation()
        defer { inst.remove() }
        let missing = try inst.export(["--input", inst.dir.appendingPathComponent("nope.csv").path, "--drive", inst.drive])
        #expect(missing.exitCode == 3, "\(missing)")
        #expect(missing.stderr.contains("nope.csv"))
        let odd = inst.dir.appendingPathComponent("odd.csv")
        try Data("Fall-ID;Kommune;Geburtsdatum;Lieblingsfarbe\r\nRSK-1;Siegburg;01.01.1990;blau\r\n".utf8).write(to: odd)
        let unknown = try inst.export(["--input", odd.path, "--drive", inst.drive])
        #expect(unknown.exitCode == 3, "\(unknown)")
        #expect(unknown.stderr.contains("Lieblingsfarbe"))
        let noDrive = try inst.export(["--input", Installation.sample, "--drive", inst.dir.appendingPathComponent("not-mounted").path])
        #expect(noDrive.exitCode == 5, "\(noDrive)")
        // A second run while the drive is locked (flock held by another process) stops with exit 5.
        let holder = try Spawn.start("/usr/bin/env", ["flock", inst.drive + "/.consentgate-export.lock", "sleep", "5"],
                                     stdout: .inherit, stderr: .inherit)
        defer { holder.terminate() }
        usleep(300_000)
        let locked = try inst.export(["--input", Installation.sample, "--drive", inst.drive])
        #expect(locked.exitCode == 5, "\(locked)")
        #expect(locked.stderr.contains("in progress"), "\(locked)")
    }

    @Test("a real (non-demo) run with a mistyped --db stops with exit 5 and creates no database")
    func mistypedDatabaseOfRealInstallation() throws {
        let inst = try Installation()
        defer { inst.remove() }
        let typo = inst.dir.appendingPathComponent("dbb.sqlite").path
        for (lang, words) in [("en", "an export run does not create a new one"), ("de", "ein Exportlauf legt keine neue an")] {
            let run = try CLIRunner.run(["export", "--db", typo, "--input", Installation.sample, "--drive", inst.drive,
                                         "--policy", CLIRunner.packageRoot.appendingPathComponent("policies/kim-rhein-sieg").path,
                                         "--quarantine-dir", inst.dir.appendingPathComponent("reports").path],
                                        environment: ["CONSENTGATE_LANG": lang])
            #expect(run.exitCode == 5, "\(run)")
            #expect(run.stderr.contains(typo) && run.stderr.contains(words) && run.stderr.contains("--new-database"), "\(run)")
        }
        #expect(!FileManager.default.fileExists(atPath: typo))
        #expect(inst.partnerEntries().isEmpty)
    }
}

extension ExportCLITests {
    /// The summary names the key that signed the run's manifests, as `signer.kid` in them (found in a key review: after a
    /// newer export key was revoked, an older one signed again without a word); a run that published nothing names none.
    @Test func theSummaryNamesTheSigningKey() throws {
        func manifestKid(_ inst: Installation) throws -> String? {
            let folder = URL(fileURLWithPath: inst.drive).appendingPathComponent("Auslaenderbehoerde")
            let run = try #require(try FileManager.default.contentsOfDirectory(atPath: folder.path).first { !$0.hasPrefix(".") })
            let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent(run).appendingPathComponent("manifest.json"))) as? [String: Any]
            return (manifest?["signer"] as? [String: Any])?["kid"] as? String
        }
        let table = try Installation()
        defer { table.remove() }
        let first = try table.export(["--input", Installation.sample, "--drive", table.drive])
        #expect(first.exitCode == 0, "\(first)")
        let kid = try #require(try manifestKid(table))
        #expect(first.stdout.contains("Signed with key \(kid)\n"), "\(first.stdout)")
        let again = try table.export(["--input", Installation.sample, "--drive", table.drive])
        #expect(again.exitCode == 0 && !again.stdout.contains("Signed with key"), "nothing published, no key: \(again)")

        let json = try Installation()
        defer { json.remove() }
        let run = try json.export(["--input", Installation.sample, "--drive", json.drive, "--json"])
        #expect(run.json?["signer-kid"] as? String == (try manifestKid(json)), "\(run.stdout)")
    }
}
