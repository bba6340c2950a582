import Foundation
import Testing

/// `consent grant --clauses` refuses an empty entry the way `check --fields` does: a usage error (exit 2) naming the
/// option, before the installation is opened, instead of dropping the entry unseen.
@Suite struct ConsentGrantEmptyClauseCLITests {
    @Test("an empty entry in --clauses is a usage error naming it, in English and German", arguments: [
        ("jobcenter,", "--clauses: entry 2 of 2 is empty", "--clauses: Eintrag 2 von 2 ist leer"),
        ("jobcenter,,jobcenter-health", "--clauses: entry 2 of 3 is empty", "--clauses: Eintrag 2 von 3 ist leer"),
        (",jobcenter", "--clauses: entry 1 of 2 is empty", "--clauses: Eintrag 1 von 2 ist leer"),
    ])
    func emptyClauseEntry(clauses: String, english: String, german: String) throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        let args = ["consent", "grant", "--subject", CLIFixture.subject, "--clauses", clauses, "--collected-by", "cm.troisdorf.1",
                    "--municipality", "Troisdorf", "--birth-date", "1948-07-18", "--granted-at", "2026-01-10T09:00:00Z"]
        let en = try inst.run(args + ["--lang", "en"])
        #expect(en.exitCode == 2, "\(en)")
        #expect(en.stderr.contains(english), "\(en)")
        let de = try inst.run(args, environment: ["CONSENTGATE_LANG": "de"])
        #expect(de.exitCode == 2, "\(de)")
        #expect(de.stderr.contains(german), "\(de)")
        #expect(!FileManager.default.fileExists(atPath: inst.databasePath), "refused before the installation was opened")
    }
}
