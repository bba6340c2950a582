import Foundation
import Testing

/// A municipality the county does not list, typed on the command line (`--municipality`): the message names the option
/// the user typed, in German and English, not the record's field (`collected-by.municipality`, `subject.municipality`)
/// the user never saw; and `check` refuses it (exit 3) instead of logging a decision filed under that town.
@Suite struct MunicipalityOptionCLITests {
    @Test(arguments: ["en", "de"])
    func grantAndCheckNameTheOptionTheUserTyped(_ language: String) throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        let grant = try inst.run(["consent", "grant", "--subject", "RSK-2022-000002", "--template", "kim-beratung",
                                  "--clauses", "jobcenter", "--collected-by", "cm.1", "--municipality", "Trosdorf",
                                  "--granted-at", "2026-01-10T09:00:00Z", "--lang", language])
        #expect(grant.exitCode == 3, "\(grant)")
        #expect(grant.stderr.contains("--municipality"), "\(grant)")
        #expect(!grant.stderr.contains("collected-by.municipality"), "\(grant)")
        #expect(grant.stderr.contains(language == "de" ? "gemeint ist wohl \"Troisdorf\"" : "did you mean \"Troisdorf\""), "\(grant)")
        let check = try inst.run(["check", "--subject", "RSK-2022-000002", "--partner", "jobcenter", "--purpose", "job-placement",
                                  "--fields", "name.family", "--municipality", "Trosdorf", "--lang", language])
        #expect(check.exitCode == 3, "\(check)")
        #expect(check.stderr.contains("--municipality") && !check.stderr.contains("subject.municipality"), "\(check)")
        #expect(check.stdout.isEmpty, "\(check)")
    }
}
