import AuditLog
import ConsentRecords
import Foundation
import PolicyEngine
import Testing
@testable import Gate

/// `explainDecision`: a logged decision re-evaluated with the archived bundle and the consent state the log
/// shows before it, and with the policy in force today.
@Suite struct GateExplainDecisionTests {
    /// The jobcenter's consent rule without `name.*`: a change that alters the answer for `name.family`.
    static let narrowedJobcenterRule: [String: [(String, String)]] = [
        "rules.yaml": [("fields: [case.id, name.*, birth.date, person.nationality, address.*, contact.*, residence.status,",
                        "fields: [case.id, birth.date, person.nationality, address.*, contact.*, residence.status,")],
    ]

    @Test func aLoggedDecisionReproducesEvenAfterALaterBackdatedWithdrawal() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let (stored, _) = try gate.grantConsent(Fixture.grant(), actor: Fixture.actor)
        let result = try gate.check(Fixture.jobcenterCheck(at: Fixture.time("2026-03-01T10:00:00Z")), actor: Fixture.actor)
        #expect(result.decision.released == ["name.family", "address.street"])

        let replay = try gate.explainDecision(index: result.auditIndex)
        #expect(replay.index == result.auditIndex)
        #expect(replay.loggedPolicyDigest == gate.policy.digest)
        #expect(replay.reproduces && replay.sameToday)
        #expect(replay.differencesArchived.isEmpty && replay.differencesCurrent.isEmpty)
        #expect(replay.withArchivedPolicy == result.decision)
        #expect(replay.logged.requested == ["name.family", "address.street", "health.notes"])

        // An explicit health consent recorded afterwards but signed before the decision: the decision did not know it.
        _ = try gate.grantConsent(Fixture.grant(clauses: ["jobcenter-gesundheit"], grantedAt: Fixture.time("2026-01-15T09:00:00Z")),
                                  actor: Fixture.actor)
        let withLaterGrant = try gate.explainDecision(index: result.auditIndex)
        #expect(withLaterGrant.reproduces, "differences: \(withLaterGrant.differencesArchived)")
        #expect(withLaterGrant.withArchivedPolicy?.field("health.notes")?.outcome == .deny)

        // Withdrawn afterwards, as of a time before the decision: the log shows the decision did not know it.
        _ = try gate.withdrawConsent(id: stored.id, at: Fixture.time("2026-02-01T00:00:00Z"), recordedBy: Fixture.caseManager,
                                     actor: Fixture.actor)
        let later = try gate.explainDecision(index: result.auditIndex)
        #expect(later.reproduces, "differences: \(later.differencesArchived)")
        #expect(later.withArchivedPolicy?.field("name.family")?.outcome == .permit)
        // A fresh check of the same question now sees the withdrawal.
        let fresh = try gate.check(Fixture.jobcenterCheck(at: Fixture.time("2026-03-01T10:00:00Z")), actor: Fixture.actor)
        #expect(fresh.decision.field("name.family")?.reason == .consentRevoked)
        let freshReplay = try gate.explainDecision(index: fresh.auditIndex)
        #expect(freshReplay.reproduces, "differences: \(freshReplay.differencesArchived)")
        try gate.verifyAuditLog()
    }

    /// Age-dependent answers replay from the logged age: the log holds `age`, never the birth date, and the
    /// replay gives the same outcome for a stated child, a stored child and a stored adult.
    @Test(arguments: [
        (birthDate: "2015-06-01", stored: false, permit: true),
        (birthDate: "2015-06-01", stored: true, permit: true),
        (birthDate: "1990-01-01", stored: true, permit: false),
        // 18 on the decision day: no longer a minor for the planning rule (age < 18).
        (birthDate: "2008-03-01", stored: false, permit: false),
    ])
    func ageDependentDecisionsReplayFromTheLoggedAge(birthDate: String, stored: Bool, permit: Bool) throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let id = "RSK-2026-000777"
        let person = Subject(id: id, birthDate: Fixture.day(birthDate), municipality: "Troisdorf")
        if stored { try gate.saveSubject(person) }
        let result = try gate.check(CheckRequest(subject: id, statedAttributes: stored ? nil : person, partner: "jugendamt",
                                                 purpose: "youth-welfare-planning", fields: ["childcare.kita-need"],
                                                 at: Fixture.time("2026-03-01T10:00:00Z")), actor: Fixture.actor)
        #expect((result.decision.field("childcare.kita-need")?.outcome == .permit) == permit)
        let bytes = String(decoding: try gate.auditLog.entryBytes(index: result.auditIndex), as: UTF8.self)
        #expect(!bytes.contains(birthDate) && !bytes.contains("birth-date"), "\(bytes)")

        let replay = try gate.explainDecision(index: result.auditIndex)
        #expect(replay.reproduces && replay.sameToday, "differences: \(replay.differencesArchived)")
        #expect((replay.withArchivedPolicy?.field("childcare.kita-need")?.outcome == .permit) == permit)
    }

    @Test func afterAPolicyChangeTheArchivedBundleReproducesButTodayDiffers() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        _ = try gate.grantConsent(Fixture.grant(), actor: Fixture.actor)
        let result = try gate.check(Fixture.jobcenterCheck(at: Fixture.time("2026-03-01T10:00:00Z")), actor: Fixture.actor)

        let changedPath = try inst.policyCopy("policy-narrowed", edits: Self.narrowedJobcenterRule)
        let changed = try inst.open(policy: changedPath)
        #expect(changed.policy.digest != gate.policy.digest)
        let replay = try changed.explainDecision(index: result.auditIndex)
        #expect(replay.loggedPolicyDigest == gate.policy.digest)
        #expect(replay.withArchivedPolicy?.policy.digest == gate.policy.digest)
        #expect(replay.reproduces, "archived differences: \(replay.differencesArchived)")
        #expect(!replay.sameToday)
        #expect(replay.differencesCurrent == ["name.family"])
        #expect(replay.withCurrentPolicy.field("name.family")?.outcome == .deny)
        #expect(replay.withCurrentPolicy.field("address.street")?.outcome == .permit)

        // A question the change does not touch stays the same today.
        let untouched = try changed.check(Fixture.jobcenterCheck(fields: ["address.street"], at: Fixture.time("2026-03-02T10:00:00Z")),
                                          actor: Fixture.actor)
        let untouchedReplay = try changed.explainDecision(index: untouched.auditIndex)
        #expect(untouchedReplay.reproduces && untouchedReplay.sameToday)
        try changed.verifyAuditLog()
    }

    @Test func explainingAnEntryThatIsNotADecisionFails() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let (_, grantIndex) = try gate.grantConsent(Fixture.grant(), actor: Fixture.actor)
        #expect(throws: GateError.notADecision(index: 0, kind: "policy-loaded")) { _ = try gate.explainDecision(index: 0) }
        #expect(throws: GateError.notADecision(index: grantIndex, kind: "consent-granted")) {
            _ = try gate.explainDecision(index: grantIndex)
        }
        #expect(GateError.notADecision(index: grantIndex, kind: "consent-granted").category == .invalidInput)
        // An index past the end of the log is an error too, not a crash or an empty answer.
        #expect(throws: (any Error).self) { _ = try gate.explainDecision(index: 999) }
    }
}
