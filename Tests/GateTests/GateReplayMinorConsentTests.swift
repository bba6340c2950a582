import AuditLog
import ConsentRecords
import Foundation
import PolicyEngine
import Testing
@testable import Gate

/// `explainDecision` for a person who signed a consent on their own shortly after turning 16 (the template's
/// minimum age): the log keeps only the age on the decision day, and the replay must not read a later birth date
/// into it that makes the person 15 at signing (the consent would then need a guardian and come out invalid).
@Suite struct GateReplayMinorConsentTests {
    @Test(arguments: [
        // 16 since November 2025, signed in January 2026 without a guardian, decided in March 2026 (still 16).
        (birthDate: "2009-11-01", decidedAt: "2026-03-01T10:00:00Z"),
        // 16 on the day before signing.
        (birthDate: "2010-01-09", decidedAt: "2026-06-30T10:00:00Z"),
    ])
    func aConsentSignedAtSixteenWithoutAGuardianReplaysAsValid(birthDate: String, decidedAt: String) throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let id = "RSK-2026-000816"
        let person = Subject(id: id, birthDate: Fixture.day(birthDate), municipality: "Troisdorf")
        _ = try gate.grantConsent(Fixture.grant(person), actor: Fixture.actor)
        let result = try gate.check(Fixture.jobcenterCheck(id, fields: ["name.family"], at: Fixture.time(decidedAt)),
                                    actor: Fixture.actor)
        try #require(result.decision.field("name.family")?.outcome == .permit)

        let replay = try gate.explainDecision(index: result.auditIndex)
        #expect(replay.reproduces, "archived differences: \(replay.differencesArchived)")
        #expect(replay.sameToday, "current differences: \(replay.differencesCurrent)")
        #expect(replay.withArchivedPolicy?.field("name.family")?.outcome == .permit)
        #expect(replay.withArchivedPolicy?.field("name.family")?.consent?.clause == "jobcenter")
    }
}
