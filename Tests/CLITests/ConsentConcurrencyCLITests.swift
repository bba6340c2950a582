import Foundation
import Testing

/// Many `consentgate` processes granting and withdrawing against ONE database file at the same time.
@Suite struct ConsentConcurrencyCLITests {
    /// Results collected from parallel runs.
    final class Results: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [Int: Result<CLIResult, any Error>] = [:]
        func set(_ i: Int, _ r: Result<CLIResult, any Error>) { lock.lock(); items[i] = r; lock.unlock() }
        func all(_ n: Int) throws -> [CLIResult] { try (0..<n).map { try #require(items[$0]).get() } }
    }

    /// Runs every argument list as its own process, all started at once (one thread each, not limited to the
    /// number of cores); returns the results in the same order.
    static func runInParallel(_ calls: [[String]]) throws -> [CLIResult] {
        let results = Results()
        let group = DispatchGroup()
        for (i, call) in calls.enumerated() {
            group.enter()
            Thread.detachNewThread {
                results.set(i, Result { try CLIRunner.run(call, timeout: 300) })
                group.leave()
            }
        }
        group.wait()
        return try results.all(calls.count)
    }

    static func grantArgs(_ inst: CLIInstallation, subject: String) -> [String] {
        ["consent", "grant", "--subject", subject, "--clauses", "jobcenter,sprachkurs", "--collected-by", "cm.siegburg.2",
         "--municipality", "Siegburg", "--birth-date", "1980-02-02", "--granted-at", "2026-01-10T09:00:00Z", "--json",
         "--demo", "--db", inst.databasePath]
    }

    @Test func parallelGrantsAndWithdrawalsLoseNothing() throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        // Two consents to withdraw while the grants run.
        let toWithdraw = try (1...2).map { n in
            try #require(try inst.grant(subject: "RSK-2026-00020\(n)").json["id"] as? String)
        }
        let subjects = (1...6).map { "RSK-2026-00010\($0)" }
        let calls = subjects.map { Self.grantArgs(inst, subject: $0) }
            + toWithdraw.map { ["consent", "withdraw", $0, "--at", "2026-05-01T00:00:00Z", "--json", "--demo", "--db", inst.databasePath] }
        let results = try Self.runInParallel(calls)
        for r in results { #expect(r.exitCode == 0, "\(r)") }

        let grantedIDs = results.prefix(subjects.count).compactMap { $0.json?["id"] as? String }
        #expect(grantedIDs.count == subjects.count)
        #expect(Set(grantedIDs).count == subjects.count, "ids must be distinct")
        let storedIDs = Set(try inst.sqlite("SELECT id FROM consent;"))
        #expect(storedIDs == Set(grantedIDs + toWithdraw))
        #expect(try inst.sqlite("SELECT subject FROM consent ORDER BY subject;") == (["RSK-2026-000201", "RSK-2026-000202"] + subjects).sorted())
        #expect(Set(try inst.sqlite("SELECT consent_id FROM consent_withdrawal;")) == Set(toWithdraw))
        for r in results.suffix(toWithdraw.count) {
            #expect(r.json?["already-withdrawn"] as? Bool == false, "\(r)")
        }
        #expect(try inst.sqlite("PRAGMA integrity_check;") == ["ok"])

        // Every grant and withdrawal has exactly one audit entry; audit indices handed out are distinct.
        let kinds = try inst.auditKinds()
        #expect(kinds.filter { $0 == "consent-granted" }.count == 8)
        #expect(kinds.filter { $0 == "consent-withdrawn" }.count == 2)
        #expect(kinds.filter { $0 == "policy-loaded" }.count == 1)
        let indices = results.compactMap { ($0.json?["audit"] as? [String: Any])?["index"] as? Int }
        #expect(indices.count == calls.count && Set(indices).count == calls.count)
        let verify = try inst.auditVerify()
        #expect(verify.exitCode == 0, "\(verify)")
        #expect(verify.json?["tree-size"] as? Int == kinds.count)
    }

    /// Four processes withdrawing the SAME consent at once, each with its own time: exactly one withdrawal is
    /// recorded and logged, the others report that one.
    @Test func parallelWithdrawalsOfOneConsentRecordExactlyOne() throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        let id = try #require(try inst.grant().json["id"] as? String)
        let times = ["2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z", "2026-05-01T00:00:00Z"]
        let results = try Self.runInParallel(times.map {
            ["consent", "withdraw", id, "--at", $0, "--json", "--demo", "--db", inst.databasePath]
        })
        for r in results { #expect(r.exitCode == 0, "\(r)") }
        let first = results.filter { $0.json?["already-withdrawn"] as? Bool == false }
        #expect(first.count == 1, "\(results)")
        let winner = try #require(first.first?.json?["withdrawn-at"] as? String)
        #expect(times.contains(winner))
        #expect(results.allSatisfy { $0.json?["withdrawn-at"] as? String == winner }, "all must report the one withdrawal")
        #expect(try inst.sqlite("SELECT withdrawn_at FROM consent_withdrawal;") == [winner])
        #expect(try inst.auditKinds().filter { $0 == "consent-withdrawn" }.count == 1)
        #expect(try inst.auditVerify().exitCode == 0)
    }

    /// Six processes opening a NEW database at the same time: every one must succeed (the first open switches
    /// the file to WAL, which concurrent openers must wait for, not fail on), and since the policy was loaded
    /// once, exactly one `policy-loaded` entry may be recorded. Timing-dependent: it found both faults in most
    /// runs before they were fixed.
    @Test func parallelFirstOpensOfANewDatabaseAllSucceedAndRecordThePolicyOnce() throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        let subjects = (1...6).map { "RSK-2026-00030\($0)" }
        let results = try Self.runInParallel(subjects.map { Self.grantArgs(inst, subject: $0) })
        for r in results { #expect(r.exitCode == 0, "\(r)") }
        #expect(try inst.sqlite("SELECT count(*) FROM consent;") == ["6"])
        #expect(try inst.sqlite("PRAGMA integrity_check;") == ["ok"])
        let kinds = try inst.auditKinds()
        #expect(kinds.filter { $0 == "consent-granted" }.count == 6)
        #expect(kinds.filter { $0 == "policy-loaded" }.count == 1, "policy-loaded recorded \(kinds.filter { $0 == "policy-loaded" }.count) times")
        #expect(try inst.sqlite("SELECT count(*) FROM policy_archive;") == ["1"])
        #expect(try inst.auditVerify().exitCode == 0)
    }
}
