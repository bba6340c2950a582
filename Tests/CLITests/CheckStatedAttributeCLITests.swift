import Foundation
import Testing

/// `check --attribute id=value`: a value for one of the policy's stateable attributes (neither `subject:` nor `from:`)
/// for this decision. Found in a domain review: `check` had no way to state `child-endangerment`, so the § 8a referral
/// to the Jugendamt always ended in "condition not met".
@Suite struct CheckStatedAttributeCLITests {
    /// The § 8a referral of a 9-year-old not yet recorded, with `extra` options.
    static func referral(_ extra: [String]) -> [String] {
        ["check", "--subject", "RSK-T-8A", "--birth-date", "2017-06-01", "--municipality", "Troisdorf",
         "--partner", "jugendamt", "--purpose", "child-protection", "--fields", "name.family,health.notes",
         "--at", "2026-06-01T10:00:00Z", "--json"] + extra
    }

    @Test func statingChildEndangermentReleasesHealthNotesAndExplainReproduces() throws {
        let inst = try CLIInstallation()
        let r = try inst.run(Self.referral(["--attribute", "child-endangerment=true"]))
        #expect(r.exitCode == 0, "\(r)")
        let notes = CLIFixture.field(r.json, "health.notes")
        #expect(notes?["outcome"] as? String == "permit", "\(r)")
        #expect(notes?["rule"] as? String == "jugendamt-child-protection")
        #expect(r.json?["released"] as? [String] == ["name.family", "health.notes"])
        // The same request without the statement: condition not met, as before.
        let without = try inst.run(Self.referral([]))
        #expect(CLIFixture.field(without.json, "health.notes")?["reason"] as? String == "condition-not-met", "\(without)")
        // The logged decision replays with the stated value.
        let index = try #require((r.json?["audit"] as? [String: Any])?["index"] as? Int, "\(r)")
        let explained = try inst.run(["audit", "explain", "--index", String(index), "--json"])
        #expect(explained.exitCode == 0, "\(explained)")
        #expect(explained.json?["reproduces"] as? Bool == true && explained.json?["same-today"] as? Bool == true, "\(explained)")
    }

    /// The text table says what the request stated beyond the record (found in a review: only `--json` and the log
    /// showed it), sorted by id, in the user's language; a request stating nothing gets no such line.
    @Test(arguments: [("en", "Stated for this decision: child-endangerment=true, household-school-age-child=false"),
                      ("de", "Für diese Entscheidung angegeben: child-endangerment=true, household-school-age-child=false")])
    func theTextTableListsTheStatedAttributes(lang: String, line: String) throws {
        let inst = try CLIInstallation()
        let text = Self.referral(["--attribute", "household-school-age-child=false", "--attribute", "child-endangerment=true",
                                  "--lang", lang]).filter { $0 != "--json" }
        let r = try inst.run(text)
        #expect(r.exitCode == 0, "\(r)")
        #expect(r.stdout.contains(line + "\n"), "\(r.stdout)")
        let plain = try inst.run(Self.referral(["--lang", lang]).filter { $0 != "--json" })
        #expect(plain.exitCode == 0 && !plain.stdout.contains(line.prefix(20)), "\(plain.stdout)")
    }

    /// A malformed `id=value` is a usage error naming `--attribute` and what is wrong, before the installation is opened.
    @Test(arguments: [
        ("child-endangerment", "--attribute \"child-endangerment\": expected id=value, e.g. child-endangerment=true"),
        ("=true", "--attribute \"=true\": the id before = is missing"),
        ("child-endangerment=", "--attribute \"child-endangerment=\": the value after = is missing"),
        ("child-endangerment=true child-endangerment=false", "--attribute: attribute \"child-endangerment\" given more than once"),
    ])
    func aMalformedAttributeOptionIsAUsageError(option: String, message: String) throws {
        let inst = try CLIInstallation()
        let args = option.split(separator: " ").flatMap { ["--attribute", String($0)] }
        let r = try inst.run(Self.referral(args) + ["--lang", "en"])
        #expect(r.exitCode == 2, "\(r)")
        #expect(r.stderr.contains(message), "\(r)")
        #expect(r.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: inst.databasePath), "the installation was not opened")
    }

    /// An attribute the request cannot state, or a value not of its type, is invalid input listing the stateable
    /// attributes (German by default, English with `--lang en`); nothing is logged.
    @Test(arguments: [("endangerment=true", "\"endangerment\""), ("age=9", "\"age\""),
                      ("child-endangerment=yes", "bool (true/false)")])
    func anAttributeThatCannotBeStatedIsInvalidInput(option: String, named: String) throws {
        let inst = try CLIInstallation()
        let english = try inst.run(Self.referral(["--attribute", option, "--lang", "en"]))
        #expect(english.exitCode == 3, "\(english)")
        #expect(english.stderr.contains(named), "\(english)")
        #expect(english.stderr.contains("may state: child-endangerment, guardian-of-school-age-child, household-school-age-child"), "\(english)")
        let german = try inst.run(Self.referral(["--attribute", option]), environment: ["CONSENTGATE_LANG": "", "LANG": "C.UTF-8"])
        #expect(german.exitCode == 3, "\(german)")
        #expect(german.stderr.contains("angebbare Merkmale: child-endangerment, guardian-of-school-age-child, household-school-age-child"), "\(german)")
        #expect(try inst.auditKinds().filter { $0 == "decision" }.isEmpty)
    }

    @Test func theHelpNamesTheOptionInBothLanguages() throws {
        /// The help screen, whitespace runs collapsed (the parser wraps long help texts).
        func help(_ language: String) throws -> String {
            let r = try CLIRunner.run(["check", "--help"], environment: ["CONSENTGATE_LANG": language])
            return r.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        }
        let en = try help("en")
        #expect(en.contains("--attribute <id=value>") && en.contains("for this decision only"), "\(en)")
        let de = try help("de")
        #expect(de.contains("--attribute <id=value>") && de.contains("nur für diese Entscheidung"), "\(de)")
    }
}
