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
}
