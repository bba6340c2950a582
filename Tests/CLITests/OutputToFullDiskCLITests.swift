import ChildProcess
import Foundation
import Testing

/// A command whose answer cannot be written (standard output on a full disk: `> /dev/full`) fails with exit 5 and says
/// so, instead of exiting 0 with an empty file (found in the full-disk review: `users add > token.txt` lost the token
/// printed once, and the `policy` commands crashed with a backtrace from `try!`).
@Suite struct OutputToFullDiskCLITests {
    /// Commands that print their answer, each needing at most the database `check` writes.
    static let printing: [[String]] = [
        ["policy", "explain", "policies/kim-rhein-sieg", "--partner", "jobcenter", "--format", "markdown"],
        ["policy", "check", "policies/kim-rhein-sieg"],
        ["check", "--demo", "--db", "DB", "--subject", "RSK-2022-000001", "--partner", "jobcenter",
         "--purpose", "job-placement", "--fields", "name.family,health.notes"],
        ["consent", "form", "--language", "uk"],
        ["keys", "list"],
        ["audit", "verify", "--demo", "--db", "DB"],
    ]

    @Test("Standard output on a full disk: exit 5 and the reason, where /dev/null gives 0", arguments: printing)
    func aLostAnswerIsAStorageFailure(command: [String]) throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("db.sqlite").path
        let arguments = command.map { $0 == "DB" ? db : $0 }
        if command.first == "audit" {   // a log to verify
            _ = try CLIRunner.run(Self.printing[2].map { $0 == "DB" ? db : $0 })
        }

        let fine = try CLIRunner.run(arguments, standardOutput: "/dev/null")
        #expect(fine.exitCode == 0, "\(fine)")

        for (language, words) in [("en", "could not write the output (standard output): no space left on the device (errno 28)"),
                                  ("de", "Die Ausgabe ließ sich nicht schreiben (Standardausgabe): kein Platz mehr auf dem Datenträger (errno 28)")] {
            let lost = try CLIRunner.run(arguments, environment: ["CONSENTGATE_LANG": language], standardOutput: "/dev/full")
            #expect(lost.exitCode == 5, "\(lost)")
            #expect(lost.stderr.contains(words), "\(lost.stderr)")
            #expect(!lost.stderr.contains("Fatal error") && !lost.stderr.contains(".swift:"), "\(lost.stderr)")
        }
    }

    @Test("users add and users token: the lost token is said, with the command that issues another")
    func aTokenThatReachedNoOneIsSaid() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("db.sqlite").path
        let env = ["CONSENTGATE_PASSPHRASE": "consentgate-demo"]

        let add = try CLIRunner.run(["users", "add", "--demo", "--db", db, "--name", "dsb.kreis", "--role", "dpo"],
                                    environment: env, standardOutput: "/dev/full")
        #expect(add.exitCode == 5, "\(add)")
        #expect(add.stderr.contains("the account dsb.kreis was created, but its API token reached no one; "
                                    + "issue a new one with 'consentgate users token dsb.kreis'"), "\(add.stderr)")

        let token = try CLIRunner.run(["users", "token", "--demo", "--db", db, "dsb.kreis", "--json"],
                                      environment: env.merging(["CONSENTGATE_LANG": "de"]) { $1 }, standardOutput: "/dev/full")
        #expect(token.exitCode == 5, "\(token)")
        #expect(token.stderr.contains("das alte API-Token von dsb.kreis gilt nicht mehr, das neue ist nirgends angekommen"),
                "\(token.stderr)")

        // The account exists (the message is true), and a token issued to a writable output is printed.
        let again = try CLIRunner.run(["users", "token", "--demo", "--db", db, "dsb.kreis", "--json"], environment: env)
        #expect(again.exitCode == 0, "\(again)")
        #expect((again.json?["token"] as? String)?.isEmpty == false, "\(again)")
    }

    @Test("serve with its URL and demo tokens going nowhere ends with exit 5 instead of running unseen")
    func serveWithLostStartLinesEnds() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("db.sqlite").path
        let r = try CLIRunner.run(["serve", "--demo", "--db", db, "--port", "0"], timeout: 60, standardOutput: "/dev/full")
        #expect(r.exitCode == 5, "\(r)")
        #expect(r.stderr.contains("could not write the output (standard output)"), "\(r.stderr)")
    }

    /// Standard error on the full disk too (`> log 2>&1`): the message is lost, but the exit code still says what
    /// happened (5), instead of a crash from Foundation's trapping `FileHandle.write` (found in a review of the change).
    /// And a help screen that cannot be written is exit 5 as well.
    @Test func bothStreamsOnAFullDiskStillGiveExitFive() throws {
        let binary = try CLIRunner.executableURL.path
        var env = ProcessInfo.processInfo.environment
        env["CONSENTGATE_LANG"] = "en"
        for arguments in [["policy", "explain", "policies/kim-rhein-sieg", "--partner", "jobcenter"], ["check", "--help"]] {
            let r = try Spawn.run("/bin/sh", ["-c", #"exec "$0" "$@" >/dev/full 2>/dev/full"#, binary] + arguments,
                                  environment: .exactly(env), workingDirectory: CLIRunner.packageRoot.path)
            #expect(r.status == 5, "\(arguments): \(r.status) \(r.termination)")
        }
    }
}
