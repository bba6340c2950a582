import Foundation
import Testing

/// `consentgate policy diff` on a copy of the shipped bundle whose consent template changed, as a DPO runs it: the
/// template section with old and new wording, the warning when the template kept its id and version, and the
/// `templates` JSON member, in German and English.
@Suite struct PolicyDiffTemplatesCLITests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        /// Edits of `consent-templates.yaml` (old text occurring once, new text).
        var edits: [(String, String)]
        var warned: Bool
        /// Whether the old version is bumped away without being kept under `earlier-versions` (warned: its consents
        /// become invalid).
        var dropped = false
        /// Lines the English and German reports must hold.
        var english: [String]
        var german: [String]
        var testDescription: String { name }
    }

    static let reworded = ("en: \"Passing to the Jobcenter for job placement and basic income support\"",
                           "en: \"Passing to the Jobcenter and its contractors for job placement and basic income support\"")

    static let cases: [Case] = [
        Case(name: "a clause reworded under the same version", edits: [reworded], warned: true,
             english: ["WARNING: Template kim-beratung keeps its id and version 3, but the wording of clause jobcenter (en) changed. A signed consent cites only the template and version (template: {id: kim-beratung, version: 3}), not the wording:",
                       "Template kim-beratung: changed; version 3 unchanged — WARNING: content changed under the same version",
                       "    clause jobcenter: wording changed (en)\n        en before: \"Passing to the Jobcenter for job placement and basic income support\"\n        en after:  \"Passing to the Jobcenter and its contractors for job placement and basic income support\"\n"],
             german: ["WARNUNG: Vorlage kim-beratung behält Kennung und Version 3, aber der Wortlaut der Klausel jobcenter (en) hat sich geändert. Eine erteilte Einwilligung nennt nur Vorlage und Version",
                      "    Klausel jobcenter: Wortlaut geändert (en)\n        en vorher:  \"Passing to the Jobcenter for job placement and basic income support\"\n"]),
        Case(name: "the same rewording under a new version", edits: [reworded, ("    version: 3\n", "    version: 4\n")], warned: false, dropped: true,
             english: ["WARNING: Template kim-beratung goes from version 3 to 4 without keeping version 3 under `earlier-versions`: every consent given on kim-beratung version 3 matches no template from this bundle on, is invalid (consent-invalid)",
                       "Template kim-beratung: changed; version 3 → 4\n    Consents on kim-beratung version 3 match no template of this bundle any more: they are invalid (consent-invalid)",
                       "    clause jobcenter: wording changed (en)\n"],
             german: ["Vorlage kim-beratung: geändert; Version 3 → 4\n    Einwilligungen auf kim-beratung Version 3 passen zu keiner Vorlage dieses Pakets mehr"]),
    ]

    @Test(arguments: cases)
    func policyDiffShowsTheTemplateChange(_ c: Case) throws {
        let bundle = try PolicyCLITests.copyOfShippedBundle()
        defer { try? FileManager.default.removeItem(at: bundle.deletingLastPathComponent()) }
        let shipped = CLIRunner.packageRoot.appendingPathComponent("policies/kim-rhein-sieg").path
        let file = bundle.appendingPathComponent("consent-templates.yaml")
        var text = try String(contentsOf: file, encoding: .utf8)
        for (old, new) in c.edits {
            try #require(text.components(separatedBy: old).count == 2, "\(old)")
            text = text.replacingOccurrences(of: old, with: new)
        }
        try Data(text.utf8).write(to: file)

        let en = try CLIRunner.run(["policy", "diff", shipped, bundle.path])
        #expect(en.exitCode == 0, "\(en)")
        #expect(en.stdout.contains("The rules release every field of every partner and purpose as before."), "\(en)")
        #expect(en.stdout.contains("1 changed consent template:"), "\(en)")
        for line in c.english { #expect(en.stdout.contains(line), "\(en)") }
        #expect(en.stdout.contains("WARNING") == (c.warned || c.dropped), "\(en)")
        let de = try CLIRunner.run(["policy", "diff", shipped, bundle.path], environment: ["CONSENTGATE_LANG": "de"])
        #expect(de.exitCode == 0, "\(de)")
        for line in c.german { #expect(de.stdout.contains(line), "\(de)") }
        #expect(de.stdout.contains("WARNUNG") == (c.warned || c.dropped), "\(de)")

        let json = try CLIRunner.run(["policy", "diff", shipped, bundle.path, "--json"])
        #expect(json.exitCode == 0, "\(json)")
        let templates = try #require(json.json?["templates"] as? [[String: Any]], "\(json)")
        #expect(templates.map { $0["template"] as? String } == ["kim-beratung"])
        #expect(templates.first?["changed-under-same-version"] as? Bool == c.warned)
        #expect(templates.first?["versions-no-longer-held"] as? [Int] == (c.dropped ? [3] : []))
        let clauses = try #require(templates.first?["clauses-changed"] as? [[String: Any]])
        #expect(clauses.map { $0["clause"] as? String } == ["jobcenter"])
        #expect(clauses.first?["wording-changed"] as? [String] == ["en"])
        #expect(json.json?["changes"] as? [Any] != nil && json.json?["exports"] as? [Any] != nil)
    }
}
