import Foundation
import PolicyEngine
import Testing
@testable import Gate

/// `audit explain` of a decision made before the person's recorded birth date was corrected reproduces it, with the age
/// the decision used, for the rules and for the consent's guardian check alike, and says that the record changed since
/// (found in a domain review: the consent was re-checked with the corrected birth date, the replay said "DIFFERS" and
/// exit 4, which the DPO guide treats as a failed verify, although the log was intact).
@Suite struct ExplainAfterBirthDateCorrectionTests {
    @Test func theReplayUsesTheDecisionsAgeAndSaysTheRecordChanged() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let id = "RSK-2022-000131"
        // An adult's own consent, no guardian: valid.
        let person = Subject(id: id, birthDate: Fixture.day("1990-03-10"), municipality: "Troisdorf")
        // Signed recently: decided now, it must still be in force whenever the test runs.
        _ = try gate.grantConsent(Fixture.grant(person, grantedAt: Fixture.recentGrantedAt), actor: Fixture.actor)
        let decided = try gate.check(Fixture.jobcenterCheck(id, fields: ["name.family"], at: nil), actor: Fixture.actor)
        #expect(decided.decision.field("name.family")?.outcome == .permit)
        let unchanged = try gate.explainDecision(index: decided.auditIndex)
        #expect(unchanged.reproduces && unchanged.ageNowRecorded == nil)

        // The record corrected: a child, for whom the consent would need a guardian.
        // Ten years old today (a fixed birth date would reach the minimum age of 16 one day).
        let childBirth = UTCDay.format(BerlinDay.day(of: Date()) - 3_653)
        try gate.saveSubject(Subject(id: id, birthDate: Fixture.day(childBirth), municipality: "Troisdorf"))
        let replay = try gate.explainDecision(index: decided.auditIndex)
        #expect(replay.reproduces, "differences: \(replay.differencesArchived)")
        let expectedAge = UTCDay.age(birthDay: UTCDay.parse(childBirth)!, on: BerlinDay.day(of: Date()))
        #expect(replay.ageNowRecorded == expectedAge)
        // A new decision uses the corrected record.
        let now = try gate.check(Fixture.jobcenterCheck(id, fields: ["name.family"], at: nil), actor: Fixture.actor)
        #expect(now.decision.field("name.family")?.outcome == .deny)
    }
}
