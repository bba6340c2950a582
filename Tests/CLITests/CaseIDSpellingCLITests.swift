import Foundation
import Testing

/// `consent grant` for a case id that differs from a recorded one only in letter case exits 3 naming the recorded
/// spelling, and stores nothing (API review M2, session 41: a second spelling filed a second person).
@Suite struct CaseIDSpellingCLITests {
    @Test func aSecondSpellingIsRefused() throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        let grant = { (subject: String, municipality: String) throws -> CLIResult in
            try inst.run(["consent", "grant", "--subject", subject, "--clauses", "jobcenter", "--collected-by", "cm.test",
                          "--municipality", municipality, "--birth-date", "1980-01-01", "--json"])
        }
        let first = try grant("RSK-2026-000063", "Siegburg")
        #expect(first.exitCode == 0, "\(first)")
        let second = try grant("rsk-2026-000063", "Lohmar")
        #expect(second.exitCode == 3, "\(second)")
        #expect(second.stderr.contains("case id \"rsk-2026-000063\" is recorded as \"RSK-2026-000063\""), "\(second.stderr)")
        let list = try inst.run(["consent", "list", "--subject", "rsk-2026-000063", "--json"])
        #expect(list.exitCode == 0 && !list.stdout.contains("\"id\""), "\(list)")
    }
}
