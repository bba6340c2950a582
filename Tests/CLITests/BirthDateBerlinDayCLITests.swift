import Foundation
import Testing

/// `consent grant --birth-date` compares days as the county counts them: a child born on the day of signing in Germany
/// (signed at 00:30 in Berlin, 23:30 UTC the day before) was refused as born "after the signature".
@Suite struct BirthDateBerlinDayCLITests {
    @Test(arguments: [("2026-01-14T23:30:00Z", true), ("2026-01-14T22:30:00Z", false)])
    func bornOnTheBerlinDayOfSigning(_ grantedAt: String, _ accepted: Bool) throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        let r = try inst.run(["consent", "grant", "--subject", "RSK-2026-000777", "--clauses", "jugendamt", "--collected-by", "cm.troisdorf.1",
                              "--municipality", "Troisdorf", "--birth-date", "2026-01-15", "--granted-at", grantedAt,
                              "--guardian", "Olena Muster", "--json"])
        if accepted {
            #expect(r.exitCode == 0, "\(r)")
        } else {
            #expect(r.exitCode == 2 && r.stderr.contains("--birth-date") && r.stderr.contains("after the signature"), "\(r)")
        }
    }
}
