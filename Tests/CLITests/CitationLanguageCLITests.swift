import Foundation
import Testing

/// The command line shows a rule's citation in its language (`--lang`, or `CONSENTGATE_LANG` for the `policy` commands,
/// which have no `--lang`): `check`, `audit explain`, `audit report`, `policy explain`, `policy diff`; `check --json`
/// keeps the canonical (German) text. The shipped bundle gives its citations as `{de, en}`.
@Suite struct CitationLanguageCLITests {
    /// `jobcenter-consent` (releases `name.family` on the jobcenter clause) and the forbid that withholds `health.notes`.
    static let consentDE = "§ 67b SGB X; Art. 6 Abs. 1 lit. a DSGVO", consentEN = "§ 67b SGB X; Art. 6(1)(a) GDPR"
    static let forbidDE = "§ 67b Abs. 2 SGB X (schriftliche Einwilligung); Art. 9 Abs. 2 lit. a DSGVO"
    static let forbidEN = "§ 67b Abs. 2 SGB X (written consent); Art. 9(2)(a) GDPR"

    @Test func checkExplainAndReportCiteInTheCommandsLanguage() throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        _ = try inst.grant()
        let json = try inst.check(fields: "name.family,health.notes", at: "2026-03-01T10:00:00Z")
        #expect(json.exitCode == 0, "\(json)")
        #expect(CLIFixture.field(json.json, "name.family")?["citation"] as? String == Self.consentDE, "\(json)")
        #expect(CLIFixture.field(json.json, "health.notes")?["citation"] as? String == Self.forbidDE, "\(json)")
        let index = try #require((json.json?["audit"] as? [String: Any])?["index"] as? Int)
        for (lang, shown, hidden) in [("en", [Self.consentEN, Self.forbidEN], [Self.consentDE, Self.forbidDE]),
                                      ("de", [Self.consentDE, Self.forbidDE], [Self.consentEN, Self.forbidEN])] {
            let check = try inst.run(["check", "--subject", CLIFixture.subject, "--partner", "jobcenter", "--purpose", "job-placement",
                                      "--fields", "name.family,health.notes", "--at", "2026-03-01T10:00:00Z", "--lang", lang])
            let explain = try inst.run(["audit", "explain", "--index", String(index), "--lang", lang])
            for r in [check, explain] {
                #expect(r.exitCode == 0, "\(r)")
                for text in shown { #expect(r.stdout.contains(text), "\(lang): \(r)") }
                for text in hidden { #expect(!r.stdout.contains(text), "\(lang): \(r)") }
            }
            // The Art. 15 report names the norm of the released field (the consent rule's).
            let report = try inst.run(["audit", "report", "--subject", CLIFixture.subject, "--lang", lang])
            #expect(report.exitCode == 0, "\(report)")
            #expect(report.stdout.contains(shown[0]) && !report.stdout.contains(hidden[0]), "\(lang): \(report.stdout)")
        }
        let reportJSON = try inst.run(["audit", "report", "--subject", CLIFixture.subject, "--json", "--lang", "en"])
        #expect(reportJSON.stdout.contains(Self.consentDE) && !reportJSON.stdout.contains(Self.consentEN), "\(reportJSON)")
    }

    @Test func policyExplainAndDiffCiteInTheEnvironmentsLanguage() throws {
        let shipped = CLIRunner.packageRoot.appendingPathComponent("policies/kim-rhein-sieg")
        for (lang, shown, hidden) in [("en", Self.consentEN, Self.consentDE), ("de", Self.consentDE, Self.consentEN)] {
            let r = try CLIRunner.run(["policy", "explain", shipped.path, "--partner", "jobcenter"], environment: ["CONSENTGATE_LANG": lang])
            #expect(r.exitCode == 0 && r.stdout.contains(shown) && !r.stdout.contains(hidden), "\(lang): \(r)")
        }
        // A copy whose English citation of `jobcenter-consent` alone is reworded: `policy diff` lists the change.
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let copy = dir.appendingPathComponent("changed")
        try FileManager.default.copyItem(at: shipped, to: copy)
        let rules = copy.appendingPathComponent("rules.yaml")
        let text = try String(contentsOf: rules, encoding: .utf8)
        let old = "    citation:\n      de: \"\(Self.consentDE)\"\n      en: \"\(Self.consentEN)\"\n  - id: jobcenter-health-consent"
        try #require(text.components(separatedBy: old).count == 2)
        let reworded = "§ 67b SGB X; Art. 6(1)(a) GDPR (consent)"
        try Data(text.replacingOccurrences(of: old, with: old.replacingOccurrences(of: "en: \"\(Self.consentEN)\"", with: "en: \"\(reworded)\"")).utf8)
            .write(to: rules)
        let english = try CLIRunner.run(["policy", "diff", shipped.path, copy.path], environment: ["CONSENTGATE_LANG": "en"])
        #expect(english.exitCode == 0, "\(english)")
        #expect(english.stdout.contains("jobcenter / job-placement / name.family: changed; release unchanged"), "\(english.stdout)")
        #expect(english.stdout.contains("before: consent: jobcenter-consent (\(Self.consentEN))"), "\(english.stdout)")
        #expect(english.stdout.contains("after:  consent: jobcenter-consent (\(reworded))"), "\(english.stdout)")
        let german = try CLIRunner.run(["policy", "diff", shipped.path, copy.path], environment: ["CONSENTGATE_LANG": "de"])
        #expect(german.stdout.contains("nachher: Einwilligung: jobcenter-consent (de: \(Self.consentDE); en: \(reworded))"), "\(german.stdout)")
        let json = try CLIRunner.run(["policy", "diff", shipped.path, copy.path, "--json"])
        #expect(json.stdout.contains("\"citation-en\":\"\(reworded)\""), "\(json.stdout)")
    }
}
