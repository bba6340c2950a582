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

    /// `consent import` of a consent collected in a town the county does not list (signed by an installation whose
    /// bundle lists none): refused as `consent grant --municipality` naming it is, exit 3, the file and the field named,
    /// the town probably meant in the user's language; nothing stored or logged.
    @Test(arguments: ["en", "de"])
    func importOfAConsentCollectedInAnUnlistedTownIsRefusedLikeAGrant(_ language: String) throws {
        let source = try CLIInstallation()
        defer { source.remove() }
        let unlisted = source.dir.appendingPathComponent("policy-unlisted")
        try FileManager.default.copyItem(at: CLIRunner.packageRoot.appendingPathComponent("policies/kim-rhein-sieg"), to: unlisted)
        try? FileManager.default.removeItem(at: unlisted.appendingPathComponent("tests"))
        let file = unlisted.appendingPathComponent("policy.yaml")
        let text = try String(contentsOf: file, encoding: .utf8)
        let list = try #require(text.firstRange(of: /municipalities: \[[^\]]*\]\n/))
        try Data(text.replacingCharacters(in: list, with: "").utf8).write(to: file)
        let granted = try source.run(["consent", "grant", "--subject", "RSK-2022-000002", "--template", "kim-beratung", "--clauses", "jobcenter",
                                      "--collected-by", "cm.1", "--municipality", "Trosdorf", "--granted-at", "2026-01-10T09:00:00Z",
                                      "--policy", unlisted.path, "--json"])
        let id = try #require(granted.json?["id"] as? String, "\(granted)")
        let export = try source.run(["consent", "export", id, "--out", source.path("export"), "--policy", unlisted.path])
        let document = try #require(export.stdout.split(separator: "\n").map(String.init).first { $0.contains("consent-\(id)") }, "\(export)")

        let target = try CLIInstallation(name: "other.sqlite")
        defer { target.remove() }
        let imported = try target.run(["consent", "import", document, "--birth-date", "1948-07-18", "--lang", language])
        #expect(imported.exitCode == 3, "\(imported)")
        #expect(imported.stderr.contains(document) && imported.stderr.contains("collected-by.municipality"), "\(imported)")
        #expect(imported.stderr.contains(language == "de" ? "unbekannte Kommune \"Trosdorf\": gemeint ist wohl \"Troisdorf\""
                                                           : "unknown municipality \"Trosdorf\": did you mean \"Troisdorf\""), "\(imported)")
        #expect(try target.auditKinds() == CLIFixture.openingKinds, "nothing logged")
        #expect(try target.sqlite("SELECT count(*) FROM consent; SELECT count(*) FROM subject;") == ["0", "0"])
    }
}
