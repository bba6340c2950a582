import Foundation
import Testing

/// A log's origin is set by its first checkpoint and never changes (found in an operator's review, 2026-12-07: a command
/// run with the county's own origin after the installation had begun under the default one appended and signed without
/// a word, and from then on `audit verify` failed under either origin, for good). Every command given another origin is
/// refused, exit 2, nothing appended; the log still verifies. A command given none takes the log's.
@Suite struct AuditOriginCLITests {
    static let county = "rhein-sieg-kreis.de/consentgate/audit"

    @Test("a command started with another origin than the log's appends nothing, and says which origin to give",
          arguments: [
              ["check", "--subject", "RSK-2022-000001", "--partner", "jobcenter", "--purpose", "job-placement", "--fields", "name.family"],
              ["audit", "log", "--subject", "RSK-2022-000001"],
              ["audit", "stats", "--by", "partner"],
          ])
    func anotherOriginIsRefused(_ command: [String]) throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        #expect(try inst.run(["users", "add", "--name", "admin", "--role", "admin"]).exitCode == 0)
        let before = try inst.run(["audit", "checkpoint"])
        #expect(before.exitCode == 0, "\(before)")

        let refused = try inst.run(command + ["--lang", "en"], environment: ["CONSENTGATE_AUDIT_ORIGIN": Self.county])
        #expect(refused.exitCode == 2, "\(refused)")
        #expect(refused.stderr.contains("the audit log's origin is \"consentgate.local/audit\"")
                && refused.stderr.contains("\"\(Self.county)\"") && refused.stderr.contains("nothing was appended"), "\(refused)")
        let german = try inst.run(command, environment: ["CONSENTGATE_AUDIT_ORIGIN": Self.county, "CONSENTGATE_LANG": "de"])
        #expect(german.exitCode == 2 && german.stderr.contains("Der Ursprung eines Protokolls lässt sich nicht ändern"), "\(german)")

        #expect(try inst.run(["audit", "checkpoint"]).stdout == before.stdout, "nothing was appended")
        let verify = try inst.run(["audit", "verify"])
        #expect(verify.exitCode == 0, "\(verify)")
        // The same command under the log's origin works.
        #expect(try inst.run(command).exitCode == 0)
    }

    @Test("an installation begun under the county's origin keeps it")
    func theCountysOriginFromTheStart() throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        let county = ["CONSENTGATE_AUDIT_ORIGIN": Self.county]
        #expect(try inst.run(["users", "add", "--name", "admin", "--role", "admin"], environment: county).exitCode == 0)
        let check = try inst.run(["check", "--subject", "RSK-2022-000001", "--partner", "jobcenter", "--purpose", "job-placement",
                                  "--fields", "name.family"], environment: county)
        #expect(check.exitCode == 0, "\(check)")
        #expect(try inst.run(["audit", "checkpoint"], environment: county).stdout.hasPrefix(Self.county + "\n"))
        #expect(try inst.run(["audit", "verify"], environment: county).exitCode == 0)
        // Later commands given no origin take the log's: they append under it, and the log verifies.
        for command in [["check", "--subject", "RSK-2022-000001", "--partner", "jobcenter", "--purpose", "job-placement", "--fields", "name.family"],
                        ["audit", "log", "--subject", "RSK-2022-000001"], ["audit", "stats", "--by", "partner"]] {
            let r = try inst.run(command)
            #expect(r.exitCode == 0, "\(command): \(r)")
        }
        let checkpoint = try inst.run(["audit", "checkpoint"])
        #expect(checkpoint.stdout.hasPrefix(Self.county + "\n") && checkpoint.stdout.contains("\u{2014} \(Self.county) "), "\(checkpoint)")
        #expect(try inst.run(["audit", "verify"]).exitCode == 0)
        // The verifier keys handed to a third party carry the log's origin; without a log to take it from, a note says which.
        let keys = try inst.run(["audit", "key"])
        #expect(keys.exitCode == 0 && keys.stdout.hasPrefix(Self.county + "+") && keys.stderr.isEmpty, "\(keys)")
        let missing = try CLIRunner.run(["audit", "key", "--demo", "--db", inst.databasePath + ".missing"])
        #expect(missing.exitCode == 0 && missing.stdout.hasPrefix("consentgate.local/audit+"), "\(missing)")
        #expect(missing.stderr.contains("no database at") && missing.stderr.contains("the keys carry the origin consentgate.local/audit"), "\(missing)")
        // Given the default one explicitly, a command is refused.
        let other = try inst.run(["check", "--subject", "RSK-2022-000001", "--partner", "jobcenter", "--purpose", "job-placement",
                                  "--fields", "name.family", "--lang", "en"], environment: ["CONSENTGATE_AUDIT_ORIGIN": "consentgate.local/audit"])
        #expect(other.exitCode == 2 && other.stderr.contains("the audit log's origin is \"\(Self.county)\""), "\(other)")
    }
}
