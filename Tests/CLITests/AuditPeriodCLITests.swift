import Foundation
import Testing

/// `--since` and `--until` the wrong way round (or equal: `--until` is exclusive) are a usage error naming `--until`
/// (found in a review, 2026-12-06: the swapped period answered "nothing recorded"), for the reading commands that take them.
@Suite struct AuditPeriodCLITests {
    @Test(arguments: [["audit", "log"], ["audit", "stats"]])
    func aReversedPeriodIsAUsageError(_ command: [String]) throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        _ = try inst.grant(clauses: "jobcenter")
        let en = try inst.run(command + ["--since", "2026-12-31", "--until", "2026-01-01", "--lang", "en"])
        #expect(en.exitCode == 2, "\(en)")
        #expect(en.stderr.contains("option --until invalid: \"2026-01-01\" is not after --since \"2026-12-31\" (--until is exclusive): the period is empty"), "\(en)")
        let de = try inst.run(command + ["--since", "2026-06-01", "--until", "2026-06-01", "--lang", "de"])
        #expect(de.exitCode == 2 && de.stderr.contains("der Zeitraum ist leer"), "\(de)")
        let ok = try inst.run(command + ["--since", "2026-01-01", "--until", "2026-12-31"])
        #expect(ok.exitCode == 0, "\(ok)")
    }
}
