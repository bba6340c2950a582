import Foundation
import Testing

/// `audit stats --kind` was accepted and ignored (the statistics count disclosures and releasing checks): now a usage
/// error naming the option (found in a review, 2026-12-06).
@Suite struct AuditStatsFilterCLITests {
    @Test func kindIsRefusedByAuditStats() throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        _ = try inst.grant(clauses: "jobcenter")
        let en = try inst.run(["audit", "stats", "--kind", "decision", "--lang", "en"])
        #expect(en.exitCode == 2 && en.stdout.isEmpty, "\(en)")
        #expect(en.stderr.contains("option --kind \"decision\" does not apply to audit stats: it counts disclosures and releasing checks; leave --kind out"), "\(en)")
        let de = try inst.run(["audit", "stats", "--kind", "decision", "--lang", "de"])
        #expect(de.exitCode == 2 && de.stderr.contains("gilt nicht für audit stats"), "\(de)")
        #expect(try inst.run(["audit", "log", "--kind", "decision"]).exitCode == 0, "audit log still takes it")
    }
}
