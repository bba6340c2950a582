import Foundation
import Testing

/// On the command line, a time or date outside the years 1900–9999 is a usage error (exit 2) that says so: year 0000
/// in `--since` stopped `audit log` and `audit stats` with a trap (exit 132), and `check --at 1582-10-10T00:00:00Z`
/// was logged as the 20th (time review, findings 1 and 3).
@Suite struct AuditTimeRangeCLITests {
    @Test(arguments: [["audit", "log", "--since", "0000-01-01T00:00:00Z"], ["audit", "stats", "--since", "0000-01-01"],
                      ["audit", "log", "--until", "9999-12-31T23:59:59-01:00"],
                      ["check", "--subject", "RSK-2022-000001", "--partner", "jobcenter", "--purpose", "job-placement",
                       "--fields", "name.family", "--at", "1582-10-10T00:00:00Z"]])
    func aTimeOutsideTheYearsIsAUsageError(_ arguments: [String]) throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        let r = try inst.run(arguments + ["--lang", "en"])
        #expect(r.exitCode == 2, "\(r)")
        #expect(r.stderr.contains("only times in the years 1900 to 9999, as written and in UTC, are accepted"), "\(r)")
    }

    /// A leap second in an audit filter is named as one, as `check --at`, `keys --at` and the API name it (it was
    /// "neither an RFC 3339 time nor a date": time review L5).
    @Test func aLeapSecondInAFilterIsNamed() throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        let r = try inst.run(["audit", "log", "--since", "2016-12-31T23:59:60Z", "--lang", "en"])
        #expect(r.exitCode == 2, "\(r)")
        #expect(r.stderr.contains("option --since invalid: \"2016-12-31T23:59:60Z\": a leap second (:60) is not accepted; give :59"), "\(r)")
        let de = try inst.run(["audit", "log", "--since", "2016-12-31T23:59:60Z", "--lang", "de"])
        #expect(de.exitCode == 2 && de.stderr.contains("eine Schaltsekunde (:60) wird nicht angenommen; bitte :59 angeben"), "\(de)")
    }
}
