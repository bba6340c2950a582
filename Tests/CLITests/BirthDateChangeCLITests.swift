import Foundation
import Testing

/// `consent grant --birth-date` replacing the recorded birth date tells the user (standard error, `--json`) and the
/// `audit log` table shows it in the entry's details; a grant that keeps the date says nothing. Found in a review of
/// the domain rules: a grant stating another year turned a minor's consent, refused without a guardian, into a valid
/// one, and nothing showed it.
@Suite struct BirthDateChangeCLITests {
    static let subject = "RSK-2026-000791"

    func grant(_ inst: CLIInstallation, birthDate: String, clauses: String, extra: [String] = []) throws -> CLIResult {
        try inst.run(["consent", "grant", "--subject", Self.subject, "--clauses", clauses, "--collected-by", "cm.troisdorf.1",
                      "--municipality", "Troisdorf", "--birth-date", birthDate, "--granted-at", "2026-11-01T10:00:00Z"] + extra)
    }

    @Test(arguments: [["--lang", "en"], ["--lang", "de"]])
    func aReplacedBirthDateIsShownAndLogged(_ lang: [String]) throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        // A 15-year-old: refused without a guardian, recorded with one.
        let refused = try grant(inst, birthDate: "2011-03-10", clauses: "jobcenter", extra: lang)
        #expect(refused.exitCode == 3, "\(refused)")
        let minor = try grant(inst, birthDate: "2011-03-10", clauses: "sprachkurs", extra: lang + ["--guardian", "Olena Muster"])
        #expect(minor.exitCode == 0 && minor.stderr.isEmpty, "\(minor)")
        // Stated as an adult now: accepted (the way to correct a record), and said.
        let adult = try grant(inst, birthDate: "1990-03-10", clauses: "jobcenter", extra: lang + ["--json"])
        #expect(adult.exitCode == 0, "\(adult)")
        #expect(adult.stdout.contains("\"birth-date-changed\":{\"age-before\":15,\"age-after\":36}"), "\(adult.stdout)")
        let said = lang.last == "de" ? "Alter bei der Unterschrift: bisher 15, jetzt 36" : "age at signing: before 15, now 36"
        #expect(adult.stderr.contains(said), "\(adult.stderr)")
        let table = try inst.run(["audit", "log", "--subject", Self.subject, "--kind", "consent-granted"])
        #expect(table.exitCode == 0, "\(table)")
        let rows = table.stdout.split(separator: "\n").filter { $0.contains("clauses=") }
        #expect(rows.count == 2, "\(table.stdout)")
        #expect(rows.filter { $0.contains("birth-date-changed=age 15->36") }.count == 1, "\(table.stdout)")
        // The same date again: nothing to say.
        let same = try grant(inst, birthDate: "1990-03-10", clauses: "agentur-fuer-arbeit", extra: lang + ["--json"])
        #expect(same.exitCode == 0 && same.stderr.isEmpty && !same.stdout.contains("birth-date-changed"), "\(same)")
    }
}
