import Foundation
import Testing

/// `consent grant --template-version` names the version the person signed: after a bump that keeps the old version
/// under `earlier-versions`, the current version is accepted and the earlier one refused (exit 3), the message naming
/// the current version, in German and English; `consent form` prints the current version's declaration.
@Suite struct EarlierTemplateVersionCLITests {
    /// A copy of the shipped bundle with `kim-erklaerung-2022` at version 2 (its text file changed) keeping version 1.
    static func bumpedBundle() throws -> URL {
        let bundle = try PolicyCLITests.copyOfShippedBundle()
        let file = bundle.appendingPathComponent("consent-templates.yaml")
        var text = try String(contentsOf: file, encoding: .utf8)
        let earlier = """
            earlier-versions:
              - version: 1
                languages: {de: {file: texts/kim-erklaerung-2022.de.md}, en: {file: texts/kim-erklaerung-2022.en.md}}
                minimum-age: 16
                max-validity: P2Y
                clauses:
                  - {id: jugendamt, partners: [jugendamt], purposes: [child-welfare], categories: [identity, address, household, health]}
                  - {id: jobcenter, partners: [jobcenter], purposes: [job-placement], categories: [identity, address, contact]}

        """
        // Bumped, not retired: the shipped template's `recordable-until: 2022-12-31` is dropped.
        for (old, new) in [("    recordable-until: 2022-12-31\n", ""), ("    version: 1\n", "    version: 2\n"),
                           ("      de: {file: texts/kim-erklaerung-2022.de.md}\n", "      de: {file: texts/kim-erklaerung-2022-v2.de.md}\n")] {
            try #require(text.components(separatedBy: old).count == 2, "\(old)")
            text = text.replacingOccurrences(of: old, with: new)
        }
        text += earlier
        try Data(text.utf8).write(to: file)
        try Data("# Einverständniserklärung KIM, Fassung 2\n\nIch willige ein (Fassung 2).\n".utf8)
            .write(to: bundle.appendingPathComponent("texts/kim-erklaerung-2022-v2.de.md"))
        return bundle
    }

    @Test(arguments: ["en", "de"])
    func grantRefusesTheEarlierVersionAndTakesTheCurrentOne(_ language: String) throws {
        let bundle = try Self.bumpedBundle()
        defer { try? FileManager.default.removeItem(at: bundle.deletingLastPathComponent()) }
        let check = try CLIRunner.run(["policy", "check", bundle.path])
        #expect(check.exitCode == 0, "\(check)")
        let inst = try CLIInstallation()
        defer { inst.remove() }
        func grant(_ version: String) throws -> CLIResult {
            try inst.run(["consent", "grant", "--policy", bundle.path, "--subject", "RSK-2022-000002", "--template", "kim-erklaerung-2022",
                          "--template-version", version, "--clauses", "jobcenter", "--collected-by", "cm.troisdorf.1",
                          "--municipality", "Troisdorf", "--birth-date", "1948-07-18", "--granted-at", "2026-01-10T09:00:00Z",
                          "--lang", language])
        }
        let refused = try grant("1")
        #expect(refused.exitCode == 3, "\(refused)")
        #expect(refused.stderr.contains(language == "de" ? "neue Einwilligungen werden auf der aktuellen Version v2 erteilt"
                                                         : "new consents are given on the current version v2"), "\(refused)")
        let accepted = try grant("2")
        #expect(accepted.exitCode == 0, "\(accepted)")

        let form = try CLIRunner.run(["consent", "form", "--policy", bundle.path, "--template", "kim-erklaerung-2022"])
        #expect(form.exitCode == 0 && form.stdout.contains("Ich willige ein (Fassung 2)."), "\(form)")
    }
}
