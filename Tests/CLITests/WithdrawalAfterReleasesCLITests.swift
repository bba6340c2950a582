import Foundation
import Testing

/// `consent withdraw --at` a time before releases the audit log records on that consent (a letter typed in late) warns,
/// naming each release and what to do (GDPR Art. 19 and 33), and lists them in `--json`; a withdrawal with nothing
/// released after it says nothing more (found in a domain review: such a withdrawal was accepted without a word). The
/// withdrawal itself is recorded either way (exit 0).
@Suite struct WithdrawalAfterReleasesCLITests {
    func grant(_ inst: CLIInstallation, _ subject: String) throws -> String {
        let r = try inst.run(["consent", "grant", "--subject", subject, "--clauses", "jobcenter", "--collected-by", "cm.siegburg.1",
                              "--municipality", "Siegburg", "--birth-date", "1980-01-01", "--granted-at", "2026-01-10T09:00:00Z", "--json"])
        #expect(r.exitCode == 0, "\(r)")
        return try #require(r.json?["id"] as? String)
    }

    @Test func aBackDatedWithdrawalNamesTheReleasesAfterIt() throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        let id = try grant(inst, "RSK-2026-000801")
        let check = try inst.run(["check", "--subject", "RSK-2026-000801", "--partner", "jobcenter", "--purpose", "job-placement",
                                  "--fields", "name.family", "--referral", "REF-1", "--json"])
        #expect(check.exitCode == 0 && check.stdout.contains("\"released\":[\"name.family\"]"), "\(check)")
        let withdraw = try inst.run(["consent", "withdraw", id, "--at", "2026-02-01T10:00:00Z", "--json"])
        #expect(withdraw.exitCode == 0, "\(withdraw)")
        #expect(withdraw.stderr.contains("warning: after the time of the withdrawal (2026-02-01T10:00:00"), "\(withdraw.stderr)")
        #expect(withdraw.stderr.contains("1 release(s) on this consent") && withdraw.stderr.contains("jobcenter: name.family; via REF-1"), "\(withdraw.stderr)")
        #expect(withdraw.stderr.contains("GDPR Art. 19"), "\(withdraw.stderr)")
        let after = try #require(withdraw.json?["released-after-withdrawal"] as? [[String: Any]], "\(withdraw.stdout)")
        #expect(after.count == 1 && after.first?["partner"] as? String == "jobcenter")
    }

    @Test func aWithdrawalWithNothingReleasedAfterItSaysNothingMore() throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        let id = try grant(inst, "RSK-2026-000802")
        _ = try inst.run(["check", "--subject", "RSK-2026-000802", "--partner", "jobcenter", "--purpose", "job-placement", "--fields", "name.family"])
        let withdraw = try inst.run(["consent", "withdraw", id, "--json"])
        #expect(withdraw.exitCode == 0 && withdraw.stderr.isEmpty, "\(withdraw)")
        #expect((withdraw.json?["released-after-withdrawal"] as? [Any])?.isEmpty == true, "\(withdraw.stdout)")
    }
}
