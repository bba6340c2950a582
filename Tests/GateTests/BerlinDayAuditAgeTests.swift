import AuditLog
import Foundation
import PolicyEngine
import Testing
@testable import Gate

/// The evaluator counts ages on the Berlin day (`BerlinDay`); the audit log's `age` of a decision and the replay of
/// `explainDecision` must count on the same day. At 23:30 UTC on 1 March 2026 it is already 2 March in Germany: a
/// person born on 2 March 2008 is 18 for the decision, so the log must say 18 and the replay must reproduce.
@Suite struct BerlinDayAuditAgeTests {
    @Test func theLoggedAgeIsTheAgeOnTheBerlinDayAndTheReplayReproduces() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let id = "RSK-2026-000778"
        let person = Subject(id: id, birthDate: Fixture.day("2008-03-02"), municipality: "Troisdorf")
        let result = try gate.check(CheckRequest(subject: id, statedAttributes: person, partner: "jugendamt",
                                                 purpose: "youth-welfare-planning", fields: ["childcare.kita-need"],
                                                 at: Fixture.time("2026-03-01T23:30:00Z")), actor: Fixture.actor)
        // 18 in Germany: no longer a minor for the planning rule (age < 18).
        #expect(result.decision.field("childcare.kita-need")?.outcome == .deny)
        let entry = try AuditEntry(bytes: gate.auditLog.entryBytes(index: result.auditIndex), context: "decision")
        guard case .decision(let record) = entry.content else { Issue.record("not a decision: \(entry.kind)"); return }
        #expect(record.attributes[DecisionRecord.ageAttribute] == .int(18))
        let replay = try gate.explainDecision(index: result.auditIndex)
        #expect(replay.reproduces && replay.sameToday, "differences: \(replay.differencesArchived)")
    }

    /// A decision a release before 2026-12-06 made with an age before the birth (logged negative, e.g. −4 for a birth date
    /// after the decision day, counted as "under 18") is replayed as it was decided: the evaluator no longer counts such
    /// an age, and without the logged one the replay would list a difference the log does not have.
    @Test func aLoggedNegativeAgeIsReplayedAsDecided() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let id = "RSK-2026-000783"
        let person = Subject(id: id, birthDate: Fixture.day("2010-03-02"), municipality: "Troisdorf")
        let minor = try gate.check(CheckRequest(subject: id, statedAttributes: person, partner: "jugendamt",
                                                purpose: "youth-welfare-planning", fields: ["childcare.kita-need"],
                                                at: Fixture.time("2026-03-01T10:00:00Z")), actor: Fixture.actor)
        #expect(minor.decision.field("childcare.kita-need")?.outcome == .permit)
        // The same decision as an older release logged it for a birth date four years after the decision day.
        let entry = try AuditEntry(bytes: gate.auditLog.entryBytes(index: minor.auditIndex), context: "decision")
        guard case .decision(var record) = entry.content else { Issue.record("not a decision"); return }
        record.attributes[DecisionRecord.ageAttribute] = .int(-4)
        let older = try gate.record([AuditEntry(time: Fixture.time("2026-03-01T10:00:00Z"), actor: "older-release",
                                                municipality: "Troisdorf", policyDigest: gate.policy.digest, content: .decision(record))])[0]
        let replay = try gate.explainDecision(index: older)
        #expect(replay.reproduces, "differences: \(replay.differencesArchived)")
    }
}
