import Foundation
import Testing

/// A well-formed time whose year lies outside 1900–9999, given to a `keys` command, is named as such, as `check --at`
/// and the audit filters name it (it said "not an RFC 3339 time", which the time is); a malformed one still says that.
@Suite struct KeysTimeRangeCLITests {
    static let trust = CLIRunner.packageRoot.appendingPathComponent("keys/trust.yaml").path

    @Test(arguments: [
        (["keys", "list", "--demo", "--trust", trust, "--at", "0000-01-01T00:00:00Z"], "--at: \"0000-01-01T00:00:00Z\": only times in the years 1900 to 9999, as written and in UTC, are accepted"),
        (["keys", "list", "--demo", "--trust", trust, "--at", "1899-12-31T23:59:59Z"], "--at: \"1899-12-31T23:59:59Z\": only times in the years 1900 to 9999, as written and in UTC, are accepted"),
        // 1900 in UTC, 1899 as written: refused for the year as written, which the message now says too.
        (["keys", "list", "--demo", "--trust", trust, "--at", "1899-12-31T23:30:00-01:00"], "--at: \"1899-12-31T23:30:00-01:00\": only times in the years 1900 to 9999, as written and in UTC, are accepted"),
        (["keys", "list", "--demo", "--trust", trust, "--at", "2016-12-31T23:59:60Z"], "--at: \"2016-12-31T23:59:60Z\": a leap second (:60) is not accepted; give :59"),
        (["keys", "list", "--demo", "--trust", trust, "--at", "2026-13-01T00:00:00Z"], "--at: not an RFC 3339 time like 2026-01-01T00:00:00Z: 2026-13-01T00:00:00Z"),
        // A date alone is no time here, whatever its year: the year is not the problem.
        (["keys", "list", "--demo", "--trust", trust, "--at", "0026-01-01"], "--at: not an RFC 3339 time like 2026-01-01T00:00:00Z: 0026-01-01"),
    ])
    func aYearOutsideTheRangeIsNamed(_ arguments: [String], message: String) throws {
        let r = try CLIRunner.run(arguments)
        #expect(r.exitCode == 2, "\(r)")
        #expect(r.stderr.contains(message), "\(r)")
        let german = try CLIRunner.run(arguments, environment: ["CONSENTGATE_LANG": "de"])
        #expect(german.exitCode == 2 && (german.stderr.contains("nur Zeiten der Jahre 1900 bis 9999") || german.stderr.contains("keine RFC-3339-Zeit")
                                        || german.stderr.contains("eine Schaltsekunde (:60) wird nicht angenommen")), "\(german)")
    }

    @Test("t and z in lower case are taken, as check --at takes them")
    func lowerCaseTimeLetters() throws {
        let upper = try CLIRunner.run(["keys", "list", "--demo", "--trust", Self.trust, "--json", "--at", "2026-06-01T12:00:00Z"])
        let lower = try CLIRunner.run(["keys", "list", "--demo", "--trust", Self.trust, "--json", "--at", "2026-06-01t12:00:00z"])
        #expect(upper.exitCode == 0 && lower.exitCode == 0, "\(lower)")
        #expect(lower.stdout == upper.stdout)
    }
}
