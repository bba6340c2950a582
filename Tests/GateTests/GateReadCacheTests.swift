import ConsentRecords
import AuditLog
import Foundation
import PolicyEngine
import Testing
@testable import Gate

/// The decision path's read cache: it answers from memory, and any change to accounts, subjects or
/// consents — made through another `Gate` on the same file or by another process (`sqlite3`) — is seen
/// by the next look-up, because triggers bump the change counter in the same transaction.
@Suite struct GateReadCacheTests {
    func counter(_ inst: GateTestInstallation) throws -> Int {
        let text = try inst.sqlite("SELECT version FROM gate_change_counter").trimmingCharacters(in: .whitespacesAndNewlines)
        return try #require(Int(text), "sqlite3 printed \(text)")
    }

    @Test func triggersCountChangesToCachedTablesButNotAuditAppends() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let start = try counter(inst)
        _ = try gate.check(Fixture.jobcenterCheck("RSK-2022-000099", at: nil), actor: Fixture.actor)
        #expect(try counter(inst) == start, "a decision (audit append only) changes nothing cached")
        try gate.saveSubject(Fixture.adult())
        #expect(try counter(inst) == start + 1)
        _ = try gate.grantConsent(Fixture.grant(), actor: Fixture.actor)
        #expect(try counter(inst) > start + 1)
        let beforeRaw = try counter(inst)
        try inst.sqlite("UPDATE subject SET municipality = 'Hennef' WHERE id = '\(Fixture.subjectID)'")
        try inst.sqlite("DELETE FROM subject WHERE id = '\(Fixture.subjectID)'")
        #expect(try counter(inst) == beforeRaw + 2, "changes by another process count too")
    }

    @Test func subjectChangedByAnotherProcessIsSeenAtTheNextLookup() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        try gate.saveSubject(Fixture.adult())
        #expect(try gate.subject(id: Fixture.subjectID)?.municipality == "Troisdorf")
        #expect(try gate.subject(id: "RSK-NOT-RECORDED") == nil)
        try inst.sqlite("UPDATE subject SET municipality = 'Hennef' WHERE id = '\(Fixture.subjectID)'")
        #expect(try gate.subject(id: Fixture.subjectID)?.municipality == "Hennef")
        try inst.sqlite("INSERT INTO subject (id, municipality, guardians, updated_at) VALUES ('RSK-NOT-RECORDED', 'Lohmar', '[]', '2026-01-01T00:00:00Z')")
        #expect(try gate.subject(id: "RSK-NOT-RECORDED")?.municipality == "Lohmar", "a cached 'not recorded' is dropped too")
    }

    @Test func lookupsAreServedFromMemoryUntilTheCounterMoves() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        try gate.saveSubject(Fixture.adult())
        #expect(try gate.subject(id: Fixture.subjectID)?.municipality == "Troisdorf")
        // Behind the triggers' back (dropped for this test), the cached copy is what is answered...
        try inst.sqlite("DROP TRIGGER gate_change_subject_update; UPDATE subject SET municipality = 'Hennef' WHERE id = '\(Fixture.subjectID)'")
        #expect(try gate.subject(id: Fixture.subjectID)?.municipality == "Troisdorf")
        // ...until the counter moves.
        try inst.sqlite("UPDATE gate_change_counter SET version = version + 1")
        #expect(try gate.subject(id: Fixture.subjectID)?.municipality == "Hennef")
    }

    @Test func withdrawalThroughAnotherInstanceCountsFromTheNextDecision() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let (stored, _) = try gate.grantConsent(Fixture.grant(clauses: ["jobcenter"]), actor: Fixture.actor)
        let at = Fixture.time("2026-03-01T10:00:00Z")
        for _ in 0..<2 {   // the second one from the cache
            let r = try gate.check(Fixture.jobcenterCheck(at: at), actor: Fixture.actor)
            #expect(r.decision.field("name.family")?.outcome == .permit)
            #expect(r.consents.map(\.id) == [stored.id])
        }
        let other = try inst.open()   // its own pool on the same file: another writer, as another process would be
        _ = try other.withdrawConsent(id: stored.id, at: Fixture.time("2026-02-01T00:00:00Z"),
                                      recordedBy: Fixture.caseManager, actor: Fixture.actor)
        let after = try gate.check(Fixture.jobcenterCheck(at: at), actor: Fixture.actor)
        #expect(after.decision.field("name.family")?.outcome == .deny)
        #expect(after.decision.released.isEmpty)
    }

    @Test func tamperedConsentRowIsNeverServedFromTheCache() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let (stored, _) = try gate.grantConsent(Fixture.grant(clauses: ["jobcenter"]), actor: Fixture.actor)
        let at = Fixture.time("2026-03-01T10:00:00Z")
        #expect(try gate.check(Fixture.jobcenterCheck(at: at), actor: Fixture.actor).decision.field("name.family")?.outcome == .permit)
        // Another process swaps the signed bytes for garbage: the next decision re-reads and re-verifies.
        try inst.sqlite(ConsentSchema.dropAppendOnlyTriggersSQL + " UPDATE consent SET jws = X'7B7D' WHERE id = '\(stored.id)'")
        let after = try gate.check(Fixture.jobcenterCheck(at: at), actor: Fixture.actor)
        #expect(after.decision.field("name.family")?.outcome == .deny)
        if case .invalid = after.consents.first?.verification {} else { Issue.record("expected an invalid consent fact: \(after.consents)") }
    }

    @Test func disabledTokenStopsAtTheNextRequestAlsoWhenDisabledElsewhere() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let store = AccountStore(database: gate.database, cache: gate.readCache)
        let created = try gate.addAccount(name: "anna", role: .caseworker, municipality: "Siegburg", password: nil, actor: Actor(id: "test"))
        #expect(try store.authenticate(token: created.token)?.name == "anna")
        #expect(try store.authenticate(token: created.token)?.name == "anna")   // cached
        try inst.sqlite("UPDATE account SET disabled_at = '2026-11-25T12:00:00Z' WHERE name = 'anna'")
        #expect(try store.authenticate(token: created.token) == nil)
        try inst.sqlite("UPDATE account SET disabled_at = NULL WHERE name = 'anna'")
        #expect(try store.authenticate(token: created.token)?.name == "anna")
        try gate.disableAccount(name: "anna", actor: Actor(id: "test"))
        #expect(try store.authenticate(token: created.token) == nil)
        #expect(try store.authenticate(token: "cg_" + String(repeating: "A", count: 43)) == nil)
    }

    @Test func municipalityRuleSeesTheStoredSubjectOnce() async throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        try gate.saveSubject(Fixture.adult())
        struct Refused: Error {}
        await #expect(throws: Refused.self) {
            _ = try await gate.checkConcurrently(Fixture.jobcenterCheck(at: nil), actor: Fixture.actor) { stored, _ in
                #expect(stored?.municipality == "Troisdorf")
                throw Refused()
            }
        }
        #expect(try gate.entries(kind: .decision).isEmpty, "a refused check records nothing")
        let r = try await gate.checkConcurrently(Fixture.jobcenterCheck(at: nil), actor: Fixture.actor) { _, stated in stated }
        #expect(try gate.entries(kind: .decision).map(\.index) == [r.auditIndex])
    }
}
