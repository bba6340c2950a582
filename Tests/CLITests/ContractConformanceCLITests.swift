import Foundation
import Testing

/// CONTRACTS §4 and §8 against the built binary: `check` refuses what `POST /v1/decisions` refuses, every command
/// that prints results takes `--json`, and option values the command line got wrong are usage errors (exit 2).
@Suite struct ContractConformanceCLITests {

    // MARK: check: the same request refused as the web API refuses it

    @Test(arguments: [("--partner", "jobcentre", "unknown partner \"jobcentre\""),
                      ("--purpose", "job-placment", "unknown purpose \"job-placment\"")])
    func checkRefusesAPartnerOrPurposeThePolicyDoesNotKnow(option: String, value: String, message: String) throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        var args = ["check", "--subject", CLIFixture.subject, "--partner", "jobcenter", "--purpose", "job-placement",
                    "--fields", "name.family", "--at", "2026-03-01T10:00:00Z", "--json"]
        args[args.firstIndex(of: option)! + 1] = value
        let r = try inst.run(args)
        // Invalid input (exit 3), as the API answers 422 unknown-partner / unknown-purpose: not a logged "deny".
        #expect(r.exitCode == 3, "\(r)")
        #expect(r.stderr.contains(message), "\(r)")
        #expect(r.stdout.isEmpty, "\(r)")
        if FileManager.default.fileExists(atPath: inst.databasePath) {
            #expect(try inst.auditKinds().contains("decision") == false, "a refused request must not be logged as a decision")
        }
        let german = try inst.run(args, environment: ["CONSENTGATE_LANG": "de"])
        #expect(german.exitCode == 3, "\(german)")
        #expect(german.stderr.contains(option == "--partner" ? "unbekannte Stelle \"jobcentre\"" : "unbekannter Zweck \"job-placment\""),
                "\(german)")
    }

    @Test func checkRefusesASubjectThatIsNotACaseID() throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        // The API answers 400 invalid-field for this subject; the command line names the option (usage, exit 2).
        let r = try inst.run(["check", "--subject", "Anna Melnyk", "--partner", "jobcenter", "--purpose", "job-placement",
                              "--fields", "name.family", "--json"])
        #expect(r.exitCode == 2, "\(r)")
        #expect(r.stderr.contains("--subject"), "\(r)")
        #expect(r.stdout.isEmpty, "\(r)")
    }
}
