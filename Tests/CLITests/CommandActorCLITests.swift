import Foundation
import TestFolders
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Without `--actor`, `CONSENTGATE_ACTOR`, `USER` and `LOGNAME` (systemd, cron, a container), a command is logged as the
/// process's user from the password database, as docs/dpo-guide.md says ("the login name"); a black-box review found
/// `cli` there.
@Suite struct CommandActorCLITests {
    @Test func withoutAnyNameTheLogNamesTheProcesssUser() throws {
        let folder = try TemporaryDirectory("cli-actor")
        let database = folder.path + "/cg.sqlite"
        let unnamed = ["USER": "", "LOGNAME": "", "CONSENTGATE_ACTOR": ""]
        let add = try CLIRunner.run(["users", "add", "--name", "admin", "--role", "admin", "--demo", "--db", database], environment: unnamed)
        #expect(add.exitCode == 0, "\(add)")
        let expected = try #require(getpwuid(geteuid()).flatMap { $0.pointee.pw_name }.map { String(cString: $0) })
        let actors = try CLIRunner.runTool("sqlite3", [database, "SELECT actor FROM audit_entry WHERE kind = 'account-event';"])
        #expect(actors.stdout.split(separator: "\n").map(String.init) == [expected], "\(actors)")

        let named = try CLIRunner.run(["users", "add", "--name", "dsb", "--role", "dpo", "--demo", "--db", database],
                                      environment: ["USER": "", "LOGNAME": "kreis-admin", "CONSENTGATE_ACTOR": ""])
        #expect(named.exitCode == 0, "\(named)")
        let second = try CLIRunner.runTool("sqlite3", [database, "SELECT actor FROM audit_entry WHERE kind = 'account-event' ORDER BY idx;"])
        #expect(second.stdout.split(separator: "\n").map(String.init) == [expected, "kreis-admin"], "LOGNAME before the password database")
    }

    /// Who is acting, and a check's referral id, go into the append-only log and `audit log` prints them: a line break
    /// there made a line of a forged entry, an escape sequence reached the terminal (found by probing the command line).
    /// Refused as usage (exit 2), naming where the value came from, and nothing is logged.
    @Test(arguments: [(["--actor", "cm.troisdorf.1\n999\tconsent-withdrawn"], [String: String](), "--actor: who is acting contains a control"),
                      ([], ["CONSENTGATE_ACTOR": "env\u{1B}[31mRED"], "$CONSENTGATE_ACTOR: who is acting contains a control"),
                      (["--actor", String(repeating: "a", count: 129)], [:], "--actor: at most 128 characters for who is acting (has 129)"),
                      (["--referral", "r\n1"], [:], "the referral id contains a control or text-direction character"),
                      (["--referral", ""], [:], "a referral id must be 1 to 128 characters long (has 0)")])
    func aValueTheLogMustNotKeepIsRefused(_ extra: [String], _ environment: [String: String], _ words: String) throws {
        let folder = try TemporaryDirectory("cli-actor-refused")
        let database = folder.path + "/cg.sqlite"
        let base = ["check", "--demo", "--db", database, "--subject", "RSK-2022-000011", "--partner", "jobcenter", "--purpose", "job-placement",
                    "--fields", "name.family", "--birth-date", "1990-01-01", "--municipality", "Troisdorf", "--lang", "en"]
        let refused = try CLIRunner.run(base + extra, environment: environment.merging(["CONSENTGATE_PASSPHRASE": "consentgate-demo"]) { a, _ in a })
        #expect(refused.exitCode == 2, "\(refused)")
        #expect(refused.stderr.contains(words), "\(refused)")
        let logged = try CLIRunner.runTool("sqlite3", [database, "SELECT count(*) FROM audit_entry WHERE kind = 'decision';"])
        #expect(["0", ""].contains(logged.stdout.trimmingCharacters(in: .whitespacesAndNewlines)), "nothing decided: \(logged)")
    }
}
