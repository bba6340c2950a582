import AuditLog
import ConsentRecords
import Foundation
import Synchronization
import Testing
@testable import Gate

/// A decision whose inputs were read before another writer withdrew the consent, and whose entry would be appended after
/// the withdrawal's, is made again from the store as it is now (concurrency review, finding 1: 16 API clients deciding
/// while the command line withdrew; up to 16 decisions per withdrawal were logged after it, released on the withdrawn
/// consent, and `audit explain` found that the log does not support them). The withdrawal is made here between the
/// decision's read and its append, through the access rule's hook, which runs right after the read.
@Suite struct DecisionAfterConcurrentWithdrawalTests {
    /// `snapshot`: as in a web request, whose look-ups validate the read cache against the counter read at its start
    /// (the decision made again must read the store, not the cache: a review of this fix).
    @Test(arguments: [(false, false), (true, false), (true, true)])
    func aDecisionReadBeforeAWithdrawalIsMadeAgainAfterIt(grouped: Bool, snapshot: Bool) async throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let (stored, _) = try gate.grantConsent(Fixture.grant(clauses: ["jobcenter"]), actor: Fixture.actor, now: Fixture.grantedAt)
        let now = Fixture.time("2026-03-05T12:00:00Z")
        let before = try gate.check(Fixture.jobcenterCheck(fields: ["name.family"], at: nil), actor: Fixture.actor, now: now)
        #expect(before.decision.field("name.family")?.outcome == .permit)

        let reads = Mutex(0)
        let withdrawal = Mutex<Int64?>(nil)
        let admit: (Subject?, Subject?) throws -> Subject? = { _, stated in
            let first = reads.withLock { n -> Bool in n += 1; return n == 1 }
            if first {
                // Another writer, after this decision's read: the withdrawal and its entry in one transaction.
                let (_, index) = try gate.withdrawConsent(id: stored.id, at: now.addingTimeInterval(-60), recordedBy: Fixture.caseManager,
                                                          actor: Fixture.actor, now: now.addingTimeInterval(-60))
                withdrawal.withLock { $0 = index }
            }
            return stated
        }
        let request = Fixture.jobcenterCheck(fields: ["name.family"], at: nil)
        // Warm the read cache with this person's inputs, as an earlier request would have.
        _ = try await gate.checkConcurrently(request, actor: Fixture.actor, now: now)
        let run = { () async throws -> CheckResult in
            grouped ? try await gate.checkConcurrently(request, actor: Fixture.actor, now: now, admitting: admit)
                    : try gate.check(request, actor: Fixture.actor, now: now, admitting: admit)
        }
        let result = snapshot ? try await gate.readCache.withRequestSnapshot(run) : try await run()
        #expect(reads.withLock { $0 } == 2, "made again once")
        #expect(result.decision.field("name.family")?.outcome == .deny, "the withdrawn consent releases nothing")
        let withdrawn = try #require(withdrawal.withLock { $0 })
        #expect(withdrawn < result.auditIndex, "logged after the withdrawal")
        #expect(try gate.explainDecision(index: result.auditIndex).reproduces, "the log supports the decision")
        #expect(try gate.allEntries().filter { if case .decision = $0.entry.content { true } else { false } }.count == 3,
                "the first attempt is not logged")
    }

    /// A change of another person between the read and the append (the change counter moves) is no reason to decide
    /// again: the person's own rows, read again inside the append, are the same.
    @Test func anotherPersonsChangeDoesNotMakeTheDecisionAgain() async throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        _ = try gate.grantConsent(Fixture.grant(clauses: ["jobcenter"]), actor: Fixture.actor, now: Fixture.grantedAt)
        let reads = Mutex(0)
        let admit: (Subject?, Subject?) throws -> Subject? = { _, stated in
            if reads.withLock({ n -> Bool in n += 1; return n == 1 }) {
                _ = try gate.grantConsent(Fixture.grant(Fixture.adult("RSK-2022-000099"), clauses: ["jobcenter"]), actor: Fixture.actor,
                                          now: Fixture.grantedAt)
            }
            return stated
        }
        let result = try await gate.checkConcurrently(Fixture.jobcenterCheck(fields: ["name.family"], at: nil), actor: Fixture.actor,
                                                      now: Fixture.time("2026-03-05T12:00:00Z"), admitting: admit)
        #expect(reads.withLock { $0 } == 1)
        #expect(result.decision.field("name.family")?.outcome == .permit)
        #expect(try gate.explainDecision(index: result.auditIndex).reproduces)
    }

    /// Inside one batch, an entry whose admission fails is left out and the others keep consecutive indices.
    @Test func aRefusedEntryIsLeftOutOfItsBatch() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let size = try gate.auditLog.size()
        let entry = { (n: Int) in
            AuditEntry(time: Fixture.grantedAt, actor: "test-\(n)", municipality: nil, policyDigest: gate.policy.digest,
                       content: .auditRead(AuditReadRecord(command: "test \(n)", filters: [:], results: Int64(n))))
        }
        let indices = try gate.record([entry(1), entry(2), entry(3)], admitting: [nil, { _, _ in false }, { _, _ in true }])
        #expect(indices == [size, nil, size + 1])
        #expect(try gate.auditLog.size() == size + 2)
    }
}
