import Foundation
import GRDB
import PolicyEngine
import Signing
import Testing
@testable import ConsentRecords

/// Several `DatabasePool`s on one file (as separate processes would have), writing in parallel tasks.
@Suite("Concurrent grants and withdrawals")
struct ConcurrencyTests {
    @Test func parallelGrantsAndWithdrawalsFromSeveralPoolsLoseNothing() async throws {
        let signer = try TestSigner()
        let folder = try TestDatabase.folder()  // removed when the test ends
        let path = TestDatabase.path(in: folder)
        _ = try TestDatabase.open(path)  // migrate once, as the application does on start
        let pools = 4, perPool = 30
        let verifier = makeVerifier([signer])

        let results = try await withThrowingTaskGroup(of: [String].self) { group in
            for p in 0..<pools {
                group.addTask {
                    let store = ConsentStore(database: try TestDatabase.open(path), verifier: verifier)
                    var ids: [String] = []
                    for i in 0..<perPool {
                        let subject = "RSK-2026-\(String(format: "%03d", p))\(String(format: "%03d", i % 5))"
                        let signed = try Fixture.declaration(subject: subject).signed(with: signer.key)
                        try store.grant(signed, now: Fixture.now)
                        ids.append(signed.content.idText)
                        if i % 2 == 0 {
                            _ = try store.withdraw(consentID: signed.content.idText, at: Fixture.now, recordedBy: Fixture.collector,
                                                   key: signer.key, now: Fixture.now)
                        }
                    }
                    return ids
                }
            }
            var all: [String] = []
            for try await ids in group { all += ids }
            return all
        }
        #expect(results.count == pools * perPool)
        #expect(Set(results).count == pools * perPool)

        let check = try TestDatabase.open(path)
        let (consents, withdrawals, integrity) = try await check.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM consent")!,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM consent_withdrawal")!,
             try String.fetchAll(db, sql: "PRAGMA integrity_check"))
        }
        #expect(consents == pools * perPool)
        #expect(withdrawals == pools * perPool / 2)
        #expect(integrity == ["ok"])
        let store = ConsentStore(database: check, verifier: verifier)
        for id in results {
            let status = try store.show(id: id, now: Fixture.now)
            #expect(status.failures.isEmpty)
        }
    }

    @Test func racingWithdrawalsOfOneConsentRecordExactlyOne() async throws {
        let signer = try TestSigner()
        let folder = try TestDatabase.folder()  // removed when the test ends
        let path = TestDatabase.path(in: folder)
        let verifier = makeVerifier([signer])
        let first = ConsentStore(database: try TestDatabase.open(path), verifier: verifier)
        let signed = try Fixture.declaration().signed(with: signer.key)
        try first.grant(signed, now: Fixture.now)

        let outcomes = try await withThrowingTaskGroup(of: WithdrawalOutcome.self) { group in
            for k in 0..<6 {
                group.addTask {
                    let store = ConsentStore(database: try TestDatabase.open(path), verifier: verifier)
                    return try store.withdraw(consentID: signed.content.idText, at: Fixture.now.addingTimeInterval(Double(-k)),
                                              recordedBy: Fixture.collector, key: signer.key, now: Fixture.now)
                }
            }
            var all: [WithdrawalOutcome] = []
            for try await o in group { all.append(o) }
            return all
        }
        let recorded = outcomes.filter { if case .recorded = $0 { return true }; return false }
        #expect(recorded.count == 1)
        #expect(Set(outcomes.map(\.withdrawal.jwsSHA256)).count == 1)
        let stored = try #require(try first.record(id: signed.content.idText)?.wholeWithdrawal)
        #expect(stored == recorded[0].withdrawal)
    }
}
