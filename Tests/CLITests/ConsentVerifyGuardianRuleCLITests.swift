import Foundation
import Testing

/// `consent verify FILE` said "valid" for a consent without a guardian whose person the installation knows to be
/// below the template's minimum age, while `consent import` of the same file refused it (guardian missing) and every
/// check counts it as `consent-invalid` (CONTRACTS §3 rule 4). It now applies the guardian rule as `import` does: with
/// the person's stored birth date, or `--birth-date`; when the age is unknown it says the consent counts only once
/// the birth date is recorded (`needs-birth-date` in `--json`), as `consent list` does.
@Suite struct ConsentVerifyGuardianRuleCLITests {
    /// A consent without a guardian for `CLIFixture.subject`, granted in another installation (an adult there), as a file.
    static func exportedConsent(from source: CLIInstallation) throws -> String {
        let (_, granted) = try source.grant(clauses: "jobcenter", grantedAt: "2026-01-10T09:00:00Z")
        let id = try #require(granted["id"] as? String)
        let export = try source.run(["consent", "export", id, "--out", source.path("export")])
        return try #require(export.stdout.split(separator: "\n").map(String.init).first { $0.contains("consent-\(id)") }, "\(export)")
    }

    @Test func aMinorsConsentWithoutGuardianIsNotValid() throws {
        let source = try CLIInstallation()
        defer { source.remove() }
        let file = try Self.exportedConsent(from: source)
        #expect(try source.run(["consent", "verify", file]).exitCode == 0)

        // Here the person is a child: recorded with a birth date by a consent their guardian signed.
        let target = try CLIInstallation(name: "other.sqlite")
        defer { target.remove() }
        let minor = try target.run(["consent", "grant", "--subject", CLIFixture.subject, "--clauses", "jugendamt",
                                    "--collected-by", "cm.siegburg.3", "--municipality", "Siegburg", "--birth-date", "11.01.2015",
                                    "--guardian", "Olena K.", "--granted-at", "2026-01-10T09:00:00Z", "--json"])
        #expect(minor.exitCode == 0, "\(minor)")
        let imported = try target.run(["consent", "import", file])
        #expect(imported.exitCode == 3, "\(imported)")
        for lang in ["en", "de"] {
            let verified = try target.run(["consent", "verify", file, "--lang", lang])
            #expect(verified.exitCode == 3, "\(verified)")
            #expect(verified.stdout.isEmpty, "\(verified)")
            #expect(verified.stderr.contains(lang == "de" ? "Sorgeberechtigte" : "guardian"), "\(verified)")
        }
    }

    @Test func anUnknownAgeIsSaidAndABirthDateDecides() throws {
        let source = try CLIInstallation()
        defer { source.remove() }
        let file = try Self.exportedConsent(from: source)
        let target = try CLIInstallation(name: "other.sqlite")
        defer { target.remove() }

        // No installation is set up here yet: verified without recorded data, nothing created, and the output says so.
        let unknown = try target.run(["consent", "verify", file, "--json"])
        #expect(unknown.exitCode == 0, "\(unknown)")
        #expect(unknown.json?["valid"] as? Bool == true && unknown.json?["needs-birth-date"] as? Bool == true, "\(unknown)")
        #expect(unknown.json?["database"] as? Bool == false, "\(unknown)")
        let text = try target.run(["consent", "verify", file, "--lang", "en"])
        #expect(text.exitCode == 0 && text.stdout.contains("valid: consent") && text.stdout.contains("birth date"), "\(text)")
        #expect(text.stdout.contains("(no database at \(target.databasePath): checked without recorded data)"), "\(text)")
        let german = try target.run(["consent", "verify", file, "--lang", "de"])
        #expect(german.stdout.contains("(keine Datenbank unter \(target.databasePath): ohne erfasste Daten geprüft)"), "\(german)")
        #expect(!FileManager.default.fileExists(atPath: target.databasePath), "verify created the database")

        let child = try target.run(["consent", "verify", file, "--birth-date", "2015-02-01"])
        #expect(child.exitCode == 3, "\(child)")
        let adult = try target.run(["consent", "verify", file, "--birth-date", "1948-07-18", "--json"])
        #expect(adult.exitCode == 0, "\(adult)")
        #expect(adult.json?["valid"] as? Bool == true && adult.json?["needs-birth-date"] as? Bool == false, "\(adult)")
        // Verifying records nothing about the person, and creates no installation.
        #expect(!FileManager.default.fileExists(atPath: target.databasePath), "verify created the database")
    }
}
