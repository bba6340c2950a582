import AuditLog
import ConsentRecords
import Foundation
import PolicyEngine
import Testing
@testable import Gate

/// A check made for an earlier moment (`check --at`, the API's `at`) is still made, and logged, now: its data can go
/// out only now. A domain review found that a check "as of" a day before the person withdrew released their data after
/// the withdrawal, with no word of it (GDPR Art. 7(3)); only the Art. 15 report marked the row afterwards. A withdrawal
/// in effect when the check is made now revokes its consent or line whatever moment the check is for; one that takes
/// effect later does not.
@Suite struct BackDatedCheckWithdrawalTests {
    /// Whether the whole consent is withdrawn (else its line `jobcenter`).
    @Test(arguments: [true, false])
    func aCheckAsOfADayBeforeAWithdrawalMadeAfterItReleasesNothingOnIt(whole: Bool) throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let (stored, _) = try gate.grantConsent(Fixture.grant(clauses: ["jobcenter", "jobcenter-gesundheit"]), actor: Fixture.actor)
        _ = try gate.withdrawConsent(id: stored.id, at: Fixture.time("2026-08-01T00:00:00Z"), clauses: whole ? nil : ["jobcenter"],
                                     recordedBy: Fixture.caseManager, actor: Fixture.actor)
        // As of 1 July the consent held; the check is made (and logged) now, after the withdrawal.
        let asOf = Fixture.time("2026-07-01T10:00:00Z")
        let result = try gate.check(CheckRequest(subject: Fixture.subjectID, partner: "jobcenter", purpose: "job-placement",
                                                 fields: ["name.family"], at: asOf, referral: "REF-2"), actor: Fixture.actor)
        let family = try #require(result.decision.field("name.family"))
        #expect(family.outcome == .deny && family.reason == .consentRevoked && family.consent?.id == stored.id, "\(family)")
        #expect(result.decision.released.isEmpty)
        #expect(result.decision.at == asOf, "the decision is still the one for the moment asked")
        // `audit explain` replays the entry as it was made: the same outcome, not "different result".
        let replay = try gate.explainDecision(index: result.auditIndex)
        #expect(replay.differencesCurrent.isEmpty, "\(replay.withCurrentPolicy.fields)")
        #expect(replay.differencesArchived.isEmpty)
    }

    /// An entry a release before this change wrote (a check as of 1 July, made after the withdrawal of 1 August, that
    /// released on the withdrawn consent) still reproduces under `audit explain`, replayed by the rule of its time, and
    /// the fields it released so are named: they went out without a legal basis. (Replayed by today's rule alone it read
    /// "DIFFERS", exit 4, as if the log had changed: a review of this change.)
    @Test func anEntryOfTheOldRuleReproducesAndNamesWhatWentOutOnAWithdrawnConsent() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let (stored, _) = try gate.grantConsent(Fixture.grant(clauses: ["jobcenter"]), actor: Fixture.actor)
        _ = try gate.withdrawConsent(id: stored.id, at: Fixture.time("2026-08-01T00:00:00Z"), recordedBy: Fixture.caseManager, actor: Fixture.actor)
        let subject = Fixture.adult()
        let facts = try gate.consents.list(subject: Fixture.subjectID, now: Date(), subjectBirthDate: subject.birthDate).map(\.fact)
        let old = gate.policy.decide(DecisionRequest(subject: Fixture.subjectID, attributes: subject.attributes, partner: "jobcenter",
                                                     purpose: "job-placement", fields: ["name.family", "health.notes"],
                                                     at: Fixture.time("2026-07-01T10:00:00Z")), consents: facts)
        #expect(old.field("name.family")?.outcome == .permit, "as the old rule decided it")
        let entry = AuditEntry(time: Date(), actor: Fixture.actor.id, municipality: subject.municipality, policyDigest: gate.policy.digest,
                               content: .decision(Gate.decisionRecord(old, subject: subject, consents: facts, referral: "REF-OLD")))
        let index = try #require(try gate.record([entry], admitting: [nil])[0])
        let replay = try gate.explainDecision(index: index)
        #expect(replay.reproduces, "\(replay.differencesArchived)")
        #expect(replay.releasedOnWithdrawnConsent == ["name.family"])
        #expect(!replay.sameToday && replay.differencesCurrent == ["name.family"], "today's rule refuses it")
        #expect(replay.releasedOnWithdrawnWords(.de).contains("das Feld name.family wurde dennoch freigegeben"))
        #expect(replay.releasedOnWithdrawnWords(.en).contains("went out without a legal basis"))
        // A check made by today's rule names nothing of the kind.
        let now = try gate.check(Fixture.jobcenterCheck(fields: ["name.family"], at: Fixture.time("2026-07-01T10:00:00Z")), actor: Fixture.actor)
        #expect(try gate.explainDecision(index: now.auditIndex).releasedOnWithdrawnConsent.isEmpty)
    }
}
