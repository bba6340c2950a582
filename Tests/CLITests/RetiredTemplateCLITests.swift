import Foundation
import Testing

/// The shipped `kim-erklaerung-2022` is retired (`recordable-until: 2022-12-31`): `consent form` no longer prints its
/// blank declaration (exit 3, naming the template and the day), `consent grant` refuses a declaration signed after the
/// day (exit 3, invalid input) and records one signed by it; `policy check` / `test` / `explain` take the bundle. Before,
/// the form printed "Gesundheit" as a tickable item and a grant of today was active until 2028. Also the CLI's side of
/// the small consent fixes: `--guardian "-"`, the guardians in `consent show`, an unknown `--template-version`.
@Suite struct RetiredTemplateCLITests {
    @Test(arguments: ["en", "de"])
    func consentFormOfTheRetiredTemplateIsRefused(_ language: String) throws {
        let r = try CLIRunner.run(["consent", "form", "--template", "kim-erklaerung-2022", "--language", "de"],
                                  environment: ["CONSENTGATE_LANG": language])
        #expect(r.exitCode == 3, "\(r)")
        #expect(r.stdout.isEmpty, "no form printed")
        #expect(r.stderr.contains(language == "de"
            ? "Einwilligungsvorlage kim-erklaerung-2022 (v1) ist seit dem 2023-01-01 stillgelegt (letzter Tag der Unterschrift: 2022-12-31, Europe/Berlin): sie wird nicht mehr zum Unterschreiben ausgegeben; die auf ihr erteilten Einwilligungen bleiben gültig. Aktuelle Vorlagen: kim-beratung"
            : "consent template kim-erklaerung-2022 (v1) is retired since 2023-01-01 (last signing day: 2022-12-31, Europe/Berlin): it is no longer given out to be signed; the consents given on it stay valid. Current templates: kim-beratung"), "\(r)")
        // The current template still prints.
        let current = try CLIRunner.run(["consent", "form", "--template", "kim-beratung", "--language", "de"])
        #expect(current.exitCode == 0 && current.stdout.contains("<html"), "\(current.stderr)")
    }

    @Test func grantOnTheRetiredTemplate() throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        func grant(_ subject: String, _ extra: [String]) throws -> CLIResult {
            try inst.run(["consent", "grant", "--subject", subject, "--template", "kim-erklaerung-2022", "--clauses", "jugendamt,jobcenter",
                          "--collected-by", "cm.siegburg.1", "--municipality", "Siegburg", "--birth-date", "1990-01-01"] + extra)
        }
        let today = try grant("RSK-T-22", [])
        #expect(today.exitCode == 3, "\(today)")
        #expect(today.stderr.contains("consent template kim-erklaerung-2022 (v1) is retired since 2023-01-01: declarations on it are recorded only when signed on or before 2022-12-31 (a day in Europe/Berlin)"), "\(today)")
        let firstOut = try grant("RSK-T-22", ["--granted-at", "2022-12-31T23:00:00Z"])
        #expect(firstOut.exitCode == 3 && firstOut.stderr.contains("this one was signed on 2023-01-01"), "\(firstOut)")
        let none = try inst.run(["consent", "list", "--subject", "RSK-T-22"])
        #expect(none.stdout.contains("no consents"), "\(none)")

        let inTime = try grant("RSK-T-23", ["--granted-at", "2022-12-31T22:59:59Z"])
        #expect(inTime.exitCode == 0, "\(inTime)")
        let list = try inst.run(["consent", "list", "--subject", "RSK-T-23", "--at", "2023-06-01T00:00:00Z"])
        #expect(list.stdout.contains("active  kim-erklaerung-2022 v1  [jugendamt,jobcenter]  2022-12-31T22:59:59Z"), "\(list)")
    }

    @Test func policyCommandsTakeTheRetiredTemplate() throws {
        let check = try CLIRunner.run(["policy", "check", "policies/kim-rhein-sieg"])
        #expect(check.exitCode == 0, "\(check)")
        let test = try CLIRunner.run(["policy", "test", "policies/kim-rhein-sieg"])
        #expect(test.exitCode == 0, "\(test)")
        let explain = try CLIRunner.run(["policy", "explain", "policies/kim-rhein-sieg", "--partner", "jobcenter"])
        #expect(explain.exitCode == 0 && explain.stdout.contains("kim-erklaerung-2022/jobcenter"), "its consents still release: \(explain)")
    }

    @Test(arguments: ["-", "?", "..."])
    func aPlaceholderGuardianIsRefused(_ name: String) throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        let r = try inst.run(["consent", "grant", "--subject", "RSK-T-24", "--clauses", "jobcenter", "--collected-by", "cm.siegburg.1",
                              "--municipality", "Siegburg", "--birth-date", "2016-01-01", "--guardian", name])
        #expect(r.exitCode == 3, "\(r)")
        #expect(r.stderr.contains("--guardian: \"\(name)\" is not a name (no letter): enter the name of the guardian who signed"), "\(r)")
    }

    @Test func consentShowListsTheGuardians() throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        let minor = try inst.run(["consent", "grant", "--subject", "RSK-T-25", "--clauses", "jobcenter", "--collected-by", "cm.siegburg.1",
                                  "--municipality", "Siegburg", "--birth-date", "2016-01-01", "--guardian", "Olena Petrenko",
                                  "--guardian", "Taras Petrenko"])
        #expect(minor.exitCode == 0, "\(minor)")
        let id = minor.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let en = try inst.run(["consent", "show", id])
        #expect(en.exitCode == 0 && en.stdout.contains("\n    guardians: Olena Petrenko; Taras Petrenko"), "\(en)")
        let de = try inst.run(["consent", "show", id], environment: ["CONSENTGATE_LANG": "de"])
        #expect(de.stdout.contains("\n    Sorgeberechtigte: Olena Petrenko; Taras Petrenko"), "\(de)")
        // An adult's consent has no guardian line; `consent list` stays one line per consent.
        let adult = try #require(inst.grant(subject: "RSK-T-26").json["id"] as? String)
        #expect(!(try inst.run(["consent", "show", adult]).stdout.contains("guardians")))
        #expect(!(try inst.run(["consent", "list", "--subject", "RSK-T-25"]).stdout.contains("guardians")))
    }

    @Test func anUnknownTemplateVersionNamesTheCurrentOne() throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        let r = try inst.run(["consent", "grant", "--subject", "RSK-T-27", "--clauses", "jobcenter", "--collected-by", "cm.siegburg.1",
                              "--municipality", "Siegburg", "--birth-date", "1990-01-01", "--template-version", "2"])
        #expect(r.exitCode == 3, "\(r)")
        #expect(r.stderr.contains("consent template kim-beratung v2 is not in the policy: the current version is v3, the policy keeps no earlier version"), "\(r)")
    }
}
