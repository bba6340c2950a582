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
}
