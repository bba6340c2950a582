import Foundation
import TestFolders
import Testing

/// `--json` is `--format json`; given with another format the command says the two contradict each other (a black-box
/// review: `audit report --format html --json` said "„html“ ist keiner der Werte json", as if html were no format of
/// the command). A format the command does not know still lists the ones it does. Both before any key or database.
@Suite struct AuditFormatOptionCLITests {
    @Test(arguments: [(["audit", "report", "--subject", "RSK-2022-000001", "--format", "html", "--json"], "html"),
                      (["audit", "stats", "--format", "csv", "--json"], "csv")])
    func formatAndJSONContradict(_ arguments: [String], _ format: String) throws {
        let folder = try TemporaryDirectory("cli-format-json")
        let de = try CLIRunner.run(arguments + ["--demo", "--db", folder.path + "/cg.sqlite"], environment: ["CONSENTGATE_LANG": "de"])
        #expect(de.exitCode == 2, "\(de)")
        #expect(de.stderr.contains("--format \(format) und --json widersprechen sich (--json heißt --format json); eines davon weglassen"), "\(de)")
        let en = try CLIRunner.run(arguments + ["--demo", "--db", folder.path + "/cg.sqlite"])
        #expect(en.stderr.contains("--format \(format) and --json contradict each other"), "\(en)")
    }

    @Test func anUnknownFormatListsTheKnownOnes() throws {
        let folder = try TemporaryDirectory("cli-format-unknown")
        let r = try CLIRunner.run(["audit", "stats", "--format", "xlsx", "--json", "--demo", "--db", folder.path + "/cg.sqlite"])
        #expect(r.exitCode == 2 && r.stderr.contains("\"xlsx\" is not one of csv, svg, json"), "\(r)")
    }
}
