import Foundation
import Testing

/// `consentgate policy check|test` on edited copies of the shipped bundle, as a DPO runs them: exit codes (§8), which
/// case failed and why, in German and English.
@Suite struct PolicyCLITests {
    /// A copy of `policies/kim-rhein-sieg` in a temporary folder.
    static func copyOfShippedBundle() throws -> URL {
        let dir = try CLIRunner.temporaryDirectory().appendingPathComponent("bundle")
        do {
            try FileManager.default.copyItem(at: CLIRunner.packageRoot.appendingPathComponent("policies/kim-rhein-sieg"), to: dir)
        } catch {
            try? FileManager.default.removeItem(at: dir.deletingLastPathComponent())
            throw error
        }
        return dir
    }

    static let wrongCase = """
        cases:
          - name: abh wrongly expected to get health notes
            at: 2026-11-25T10:00:00Z
            subject: {id: RSK-2022-000001, birth-date: 1985-03-14}
            partner: auslaenderbehoerde
            purpose: residence-registration
            expect:
              name.family: permit
              health.notes: permit

        """

    @Test func policyTestNamesTheFailingCaseAndWhyInBothLanguages() throws {
        let bundle = try Self.copyOfShippedBundle()
        defer { try? FileManager.default.removeItem(at: bundle.deletingLastPathComponent()) }
        try Data(Self.wrongCase.utf8).write(to: bundle.appendingPathComponent("tests/zz-wrong.yaml"))

        let en = try CLIRunner.run(["policy", "test", bundle.path])
        #expect(en.exitCode == 1, "\(en)")
        #expect(en.stdout.contains("FAILED tests/zz-wrong.yaml:2:5: abh wrongly expected to get health notes"), "\(en)")
        // The actual outcome names its reason and rule, not only "got deny".
        #expect(en.stdout.contains("health.notes: outcome: expected permit, got deny (forbidden, rule "), "\(en)")
        #expect(!en.stdout.contains("name.family:"), "\(en)")

        let de = try CLIRunner.run(["policy", "test", bundle.path], environment: ["CONSENTGATE_LANG": "de"])
        #expect(de.exitCode == 1, "\(de)")
        #expect(de.stdout.contains("FEHLGESCHLAGEN tests/zz-wrong.yaml:2:5: abh wrongly expected to get health notes"), "\(de)")
        #expect(de.stdout.contains("health.notes: Ergebnis: erwartet permit, erhalten deny (forbidden, Regel "), "\(de)")

        let json = try CLIRunner.run(["policy", "test", bundle.path, "--json"])
        #expect(json.exitCode == 1)
        #expect(json.json?["failed"] as? Int == 1, "\(json)")
    }

    /// `policy diff` says which of its two bundles does not load: both hold a `rules.yaml`, and a review found
    /// "rules.yaml:114:5 …" alone.
    @Test func policyDiffNamesTheBundleThatDoesNotLoad() throws {
        let bundle = try Self.copyOfShippedBundle()
        defer { try? FileManager.default.removeItem(at: bundle.deletingLastPathComponent()) }
        let shipped = CLIRunner.packageRoot.appendingPathComponent("policies/kim-rhein-sieg").path
        try Data("# alles weg\n".utf8).write(to: bundle.appendingPathComponent("rules.yaml"))
        let en = try CLIRunner.run(["policy", "diff", shipped, bundle.path])
        #expect(en.exitCode == 3 && en.stderr.contains("New bundle (\(bundle.path)): invalid policy bundle (1 problem):"), "\(en)")
        let de = try CLIRunner.run(["policy", "diff", bundle.path, shipped], environment: ["CONSENTGATE_LANG": "de"])
        #expect(de.exitCode == 3 && de.stderr.contains("Altes Paket (\(bundle.path)): Richtlinienpaket ungültig (1 Problem):"), "\(de)")
    }

    /// `policy explain --format csv --json` says the two contradict each other, as `audit report` does (it printed JSON).
    @Test func policyExplainFormatAndJSONContradict() throws {
        let shipped = CLIRunner.packageRoot.appendingPathComponent("policies/kim-rhein-sieg").path
        let r = try CLIRunner.run(["policy", "explain", shipped, "--format", "csv", "--json"])
        #expect(r.exitCode == 2 && r.stderr.contains("--format csv and --json contradict each other") && r.stdout.isEmpty, "\(r)")
        #expect(try CLIRunner.run(["policy", "explain", shipped, "--format", "json", "--json"]).exitCode == 0)
    }

    @Test func policyDiffShowsWhatAChangeReleasesInBothLanguagesAndJSON() throws {
        let bundle = try Self.copyOfShippedBundle()
        defer { try? FileManager.default.removeItem(at: bundle.deletingLastPathComponent()) }
        let shipped = CLIRunner.packageRoot.appendingPathComponent("policies/kim-rhein-sieg").path
        let same = try CLIRunner.run(["policy", "diff", shipped, bundle.path])
        #expect(same.exitCode == 0 && same.stdout.contains("No change to what is released"), "\(same)")

        // The Ausländerbehörde to get the phone number by statute: wider, said as such.
        let rules = bundle.appendingPathComponent("rules.yaml")
        let text = try String(contentsOf: rules, encoding: .utf8)
        let old = "fields: [case.id, name.*, birth.date, person.*, document.passport-number, residence.*, address.*]"
        #expect(text.components(separatedBy: old).count == 2)
        try Data(text.replacingOccurrences(of: old, with: old.dropLast() + ", contact.phone]").utf8).write(to: rules)
        let en = try CLIRunner.run(["policy", "diff", shipped, bundle.path])
        #expect(en.exitCode == 0, "\(en)")
        #expect(en.stdout.contains("1 change (partner / purpose / field):"), "\(en)")
        #expect(en.stdout.contains("auslaenderbehoerde / residence-registration / contact.phone: changed; WIDER: with consent → by statute, without consent"), "\(en)")
        let de = try CLIRunner.run(["policy", "diff", shipped, bundle.path], environment: ["CONSENTGATE_LANG": "de"])
        #expect(de.stdout.contains("contact.phone: geändert; WEITER: mit Einwilligung → per Gesetz, ohne Einwilligung"), "\(de)")
        let json = try CLIRunner.run(["policy", "diff", shipped, bundle.path, "--json"])
        let changes = try #require(json.json?["changes"] as? [[String: Any]], "\(json)")
        #expect(changes.count == 1)
        #expect(changes.first?["direction"] as? String == "wider")
        #expect(changes.first?["release-after"] as? String == "statute")
        // The widening is counted and listed first (a review of policy authoring found one WIDER line among 25 others),
        // and `--fail-on-wider` gives a review script exit 1 for it, 0 for a bundle that releases nothing more.
        #expect(en.stdout.contains("  of which wider: 1, narrower: 0, release unchanged: 0\n    WIDER: auslaenderbehoerde / residence-registration / contact.phone: with consent → by statute, without consent\n"), "\(en)")
        #expect(try CLIRunner.run(["policy", "diff", shipped, bundle.path, "--fail-on-wider"]).exitCode == 1)
        #expect(try CLIRunner.run(["policy", "diff", bundle.path, shipped, "--fail-on-wider"]).exitCode == 0, "narrower only")

        // A broken bundle on either side: the loader's error, exit 3, nothing compared.
        try Data("rules: [".utf8).write(to: rules)
        let broken = try CLIRunner.run(["policy", "diff", shipped, bundle.path])
        #expect(broken.exitCode == 3 && broken.stdout.isEmpty && broken.stderr.contains("rules.yaml"), "\(broken)")
    }

    /// An export column whose field the rules never release to the profile's partner goes out empty in every row:
    /// `policy check` still says OK (exit 0) and adds a note naming profile and column (found in a review of policy
    /// authoring: a health column in the immigration office's list was accepted without a word). The shipped bundle has none.
    @Test func anExportColumnTheRulesNeverReleaseIsNoted() throws {
        let shipped = CLIRunner.packageRoot.appendingPathComponent("policies/kim-rhein-sieg").path
        let clean = try CLIRunner.run(["policy", "check", shipped])
        #expect(clean.exitCode == 0 && !clean.stdout.contains("note:"), "\(clean)")
        let bundle = try Self.copyOfShippedBundle()
        defer { try? FileManager.default.removeItem(at: bundle.deletingLastPathComponent()) }
        let exports = bundle.appendingPathComponent("exports.yaml")
        let text = try String(contentsOf: exports, encoding: .utf8)
        let old = "address.city, residence.status]"
        try #require(text.components(separatedBy: old).count == 2)
        try Data(text.replacingOccurrences(of: old, with: "address.city, residence.status, health.notes]").utf8).write(to: exports)
        let r = try CLIRunner.run(["policy", "check", bundle.path])
        #expect(r.exitCode == 0, "\(r)")
        #expect(r.stdout.contains("note: export profile `auslaenderbehoerde-registrierung`, column `health.notes`: the rules never release this field to auslaenderbehoerde for residence-registration"), "\(r)")
        let json = try CLIRunner.run(["policy", "check", bundle.path, "--json"])
        #expect((json.json?["notices"] as? [[String: Any]])?.map { $0["field"] as? String } == ["health.notes"], "\(json)")
    }

    @Test func policyCheckOfABundleSavedWithCRLFLineEnds() throws {
        let bundle = try Self.copyOfShippedBundle()
        defer { try? FileManager.default.removeItem(at: bundle.deletingLastPathComponent()) }
        let before = try CLIRunner.run(["policy", "check", bundle.path, "--json"])
        let files = try FileManager.default.contentsOfDirectory(atPath: bundle.path).filter { $0.hasSuffix(".yaml") }
        for name in files {
            let url = bundle.appendingPathComponent(name)
            let text = try String(contentsOf: url, encoding: .utf8)
            try Data(text.replacingOccurrences(of: "\n", with: "\r\n").utf8).write(to: url)
        }
        let after = try CLIRunner.run(["policy", "check", bundle.path, "--json"])
        #expect(after.exitCode == 0, "\(after)")
        #expect(after.json?["digest"] as? String == before.json?["digest"] as? String)
    }

    @Test func policyCheckOfAnInvalidBundleExitsThreeWithFileLineColumn() throws {
        let bundle = try Self.copyOfShippedBundle()
        defer { try? FileManager.default.removeItem(at: bundle.deletingLastPathComponent()) }
        let url = bundle.appendingPathComponent("policy.yaml")
        try FileManager.default.removeItem(at: url)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
        let en = try CLIRunner.run(["policy", "check", bundle.path])
        #expect(en.exitCode == 3, "\(en)")
        #expect(en.stderr.contains("policy.yaml:1:1: file `policy.yaml` cannot be read"), "\(en)")
        let de = try CLIRunner.run(["policy", "check", bundle.path], environment: ["CONSENTGATE_LANG": "de"])
        #expect(de.exitCode == 3, "\(de)")
        #expect(de.stderr.contains("policy.yaml:1:1: Datei `policy.yaml` ist nicht lesbar"), "\(de)")
    }
}
