import Foundation
import TestFolders
import Testing

/// A command that only reads or checks an installation, pointed at a database that does not exist (a mistyped `--db`,
/// a share not mounted), says so with exit code 5 and creates nothing. It used to create an empty installation there
/// and answer from it with exit 0: `audit verify` "audit log OK: 0 entries", `audit report` an Art. 15 report without
/// recipients, `consent list` "no consents", `users list` an empty table.
@Suite struct MissingDatabaseCLITests {
    static let consentID = "6f1c9a52-7d1e-4b8a-9c33-2a9d0f5e8b11"

    /// Each reading command with the options it needs besides `--db`.
    static let commands: [[String]] = [
        ["audit", "verify", "--demo"],
        ["audit", "report", "--demo", "--subject", "RSK-2022-000002"],
        ["audit", "log", "--demo"],
        ["audit", "stats", "--demo"],
        ["audit", "checkpoint"],
        ["audit", "prove", "--index", "0"],
        ["audit", "consistency", "--from", "1", "--to", "2"],
        ["audit", "explain", "--demo", "--index", "6"],
        ["consent", "list", "--demo", "--subject", "RSK-2022-000002"],
        ["consent", "show", "--demo", consentID],
        ["consent", "export", "--demo", consentID],
        ["users", "list"],
    ]

    @Test(arguments: commands)
    func aReadingCommandDoesNotCreateAMissingDatabase(command: [String]) throws {
        let folder = try TemporaryDirectory("cli-missing-db")
        let db = folder.url.appendingPathComponent("data/consentgate.sqlite").path
        let name = command.prefix(2).joined(separator: " ")
        let out = command.contains("export") ? ["--out", folder.url.appendingPathComponent("out").path] : []

        let en = try CLIRunner.run(command + out + ["--db", db])
        #expect(en.exitCode == 5, "\(en)")
        #expect(en.stderr == "error: database \(db) does not exist; \(name) only reads and does not create one (check --db or CONSENTGATE_DB)\n", "\(en)")
        #expect(en.stdout.isEmpty, "\(en)")

        let de = try CLIRunner.run(command + out + ["--db", db], environment: ["CONSENTGATE_LANG": "de"])
        #expect(de.exitCode == 5, "\(de)")
        #expect(de.stderr == "Fehler: Datenbank \(db) fehlt; \(name) liest nur und legt keine neue an (Pfad bei --db oder CONSENTGATE_DB prüfen)\n", "\(de)")
        // `--lang` is taken by every one of them and wins over the environment (the audit commands refused it before).
        let flag = try CLIRunner.run(command + out + ["--db", db, "--lang", "de"], environment: ["CONSENTGATE_LANG": "en"])
        #expect(flag.exitCode == 5 && flag.stderr == de.stderr, "\(flag)")

        // Nothing was created: neither the database (nor its -wal, -shm, lock) nor its folder.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    /// Each command that changes a record which must already exist, with the options it needs besides `--db`.
    static let changingCommands: [[String]] = [
        ["consent", "withdraw", "--demo", consentID],
        ["consent", "withdraw", "--demo", consentID, "--municipality", "Troisdorf", "--at", "2026-04-01T00:00:00Z"],
        ["users", "disable", "--demo", "anna.dpo"],
        ["users", "token", "--demo", "anna.dpo"],
        ["users", "password", "--demo", "anna.dpo", "--remove"],
    ]

    /// A command that changes an existing record (withdraws a consent, disables an account, issues a token) refuses a
    /// missing database as the reading commands do: exit 5, nothing created. It used to create an empty installation
    /// and only then fail on the unknown id (exit 3), leaving that installation behind.
    @Test(arguments: changingCommands)
    func aChangingCommandDoesNotCreateAMissingDatabase(command: [String]) throws {
        let folder = try TemporaryDirectory("cli-missing-db")
        let db = folder.url.appendingPathComponent("data/consentgate.sqlite").path
        let name = command.prefix(2).joined(separator: " ")

        let en = try CLIRunner.run(command + ["--db", db])
        #expect(en.exitCode == 5, "\(en)")
        #expect(en.stderr == "error: database \(db) does not exist; \(name) changes an existing record and does not create one (check --db or CONSENTGATE_DB)\n", "\(en)")
        #expect(en.stdout.isEmpty, "\(en)")

        let de = try CLIRunner.run(command + ["--db", db], environment: ["CONSENTGATE_LANG": "de"])
        #expect(de.exitCode == 5, "\(de)")
        #expect(de.stderr == "Fehler: Datenbank \(db) fehlt; \(name) ändert einen vorhandenen Eintrag und legt keine neue an (Pfad bei --db oder CONSENTGATE_DB prüfen)\n", "\(de)")

        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    /// The commands that record something new still create the database on first use.
    @Test func grantAndUsersAddStillCreateTheDatabase() throws {
        let inst = try CLIInstallation()
        let (grant, _) = try inst.grant()
        #expect(grant.exitCode == 0, "\(grant)")
        let other = inst.path("data/users.sqlite")
        let add = try CLIRunner.run(["users", "add", "--demo", "--name", "anna.dpo", "--role", "dpo", "--password-env", "PW", "--db", other],
                                    environment: ["PW": "a-long-password-2026"])
        #expect(add.exitCode == 0, "\(add)")
        #expect(FileManager.default.fileExists(atPath: other))
    }

    @Test func theDefaultDatabaseFromTheEnvironmentIsNamedToo() throws {
        let folder = try TemporaryDirectory("cli-missing-db")
        let db = folder.url.appendingPathComponent("kreis.sqlite").path
        let r = try CLIRunner.run(["audit", "verify", "--demo"], environment: ["CONSENTGATE_DB": db])
        #expect(r.exitCode == 5, "\(r)")
        #expect(r.stderr.contains("database \(db) does not exist"), "\(r)")
        #expect(!FileManager.default.fileExists(atPath: db))
    }
}
