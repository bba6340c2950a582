import Foundation
import Testing

/// `policy explain --partner/--purpose` with an id the policy does not know is invalid input (exit 3, CONTRACTS §8) and
/// lists the known ids, in German and English, as `check` refuses the same ids (`ContractConformanceCLITests`). It used to
/// exit 2 (usage), so a script could not tell a typing error in the id from one in the command line.
@Suite struct PolicyExplainUnknownIDCLITests {
    static let bundle = "policies/kim-rhein-sieg"

    @Test(arguments: [
        (["--partner", "jobcentre"], "unknown partner \"jobcentre\"", "unbekannte Stelle \"jobcentre\"", "jobcenter"),
        (["--purpose", "job-placment"], "unknown purpose \"job-placment\"", "unbekannter Zweck \"job-placment\"", "job-placement"),
        (["--partner", "jobcenter", "--purpose", "job-placment"], "unknown purpose \"job-placment\"", "unbekannter Zweck \"job-placment\"", "job-placement"),
    ])
    func explainRefusesAnUnknownIDAsCheckDoes(options: [String], english: String, german: String, aKnownID: String) throws {
        for format in ["table", "json"] {
            let en = try CLIRunner.run(["policy", "explain", Self.bundle, "--format", format] + options)
            #expect(en.exitCode == 3, "\(en)")
            #expect(en.stderr.contains(english) && en.stderr.contains("known: ") && en.stderr.contains(aKnownID), "\(en)")
            #expect(en.stdout.isEmpty, "\(en)")
            let de = try CLIRunner.run(["policy", "explain", Self.bundle, "--format", format] + options,
                                       environment: ["CONSENTGATE_LANG": "de"])
            #expect(de.exitCode == 3, "\(de)")
            #expect(de.stderr.contains(german) && de.stderr.contains("bekannt: "), "\(de)")
        }
    }

    @Test func checkGivesTheSameExitCodeAndListsTheKnownIDs() throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        let r = try inst.run(["check", "--subject", CLIFixture.subject, "--partner", "jobcentre", "--purpose", "job-placement",
                              "--fields", "name.family"])
        #expect(r.exitCode == 3, "\(r)")
        #expect(r.stderr.contains("unknown partner \"jobcentre\"") && r.stderr.contains("known: ") && r.stderr.contains("jobcenter"), "\(r)")
    }

    @Test func knownIDsStillExplain() throws {
        let r = try CLIRunner.run(["policy", "explain", Self.bundle, "--partner", "jobcenter", "--purpose", "job-placement", "--json"])
        #expect(r.exitCode == 0, "\(r)")
    }
}
