import AuditLog
import Diagnostics
import Foundation
import PolicyEngine
import StrictJSON
import Testing
@testable import Gate

/// A request may state the policy's stateable attributes (neither `subject:` nor `from:`, e.g. `child-endangerment`)
/// for one decision. Found in a domain review: nothing could state them, so the § 8a rule `jugendamt-child-protection`
/// (`child-endangerment: true, age < 18`) never released anything and the urgent referral always ended in "condition
/// not met".
@Suite struct StatedAttributeCheckTests {
    static let at = Fixture.time("2026-06-01T10:00:00Z")

    /// The § 8a referral of a person born on `birthDate`, stating `values`.
    static func referral(_ id: String, birthDate: String, values: [String: AttributeValue]) -> CheckRequest {
        CheckRequest(subject: id, statedAttributes: Subject(id: id, birthDate: Fixture.day(birthDate), municipality: "Troisdorf"),
                     partner: "jugendamt", purpose: "child-protection", fields: ["name.family", "health.notes"], at: at,
                     statedValues: values)
    }

    @Test func theStateableAttributesAreThoseWithNeitherSubjectNorFrom() throws {
        let inst = try GateTestInstallation()
        let gate = try inst.open()
        #expect(gate.policy.stateableAttributes.map(\.id) == ["child-endangerment", "guardian-of-school-age-child", "household-school-age-child"])
        #expect(gate.policy.stateableAttribute("age") == nil)
    }

    /// Released for a child with `child-endangerment: true`; not without it, not with `false`, not for an adult.
    @Test(arguments: [
        ("2017-06-01", ["child-endangerment": AttributeValue.bool(true)], true),
        ("2017-06-01", [:], false),
        ("2017-06-01", ["child-endangerment": .bool(false)], false),
        ("1990-01-01", ["child-endangerment": .bool(true)], false),
    ] as [(String, [String: AttributeValue], Bool)])
    func theChildProtectionRuleReleasesOnlyForAStatedEndangeredChild(birthDate: String, values: [String: AttributeValue],
                                                                      released: Bool) throws {
        let inst = try GateTestInstallation()
        let gate = try inst.open()
        let result = try gate.check(Self.referral("RSK-T-8A", birthDate: birthDate, values: values), actor: Fixture.actor)
        let notes = try #require(result.decision.field("health.notes"))
        #expect((notes.outcome == .permit) == released)
        if released { #expect(notes.rule == "jugendamt-child-protection") } else { #expect(notes.reason == .conditionNotMet) }
    }

    /// An id that is not stateable (unknown, or derived from the record like `age`) and a value of the wrong type are
    /// refused, listing the stateable attributes, and nothing is logged.
    @Test(arguments: [
        (["child-endangerment": AttributeValue.string("yes")], "child-endangerment"),
        (["child-endangerment": .int(1)], "child-endangerment"),
        (["endangerment": .bool(true)], "endangerment"),
        (["age": .int(9)], "age"),
    ] as [([String: AttributeValue], String)])
    func aStatementTheGateCannotUseIsRefusedAndNotLogged(values: [String: AttributeValue], named: String) throws {
        let inst = try GateTestInstallation()
        let gate = try inst.open()
        let logged = try gate.auditLog.size()
        let error = try #require(throws: GateError.self) {
            try gate.check(Self.referral("RSK-T-8A", birthDate: "2017-06-01", values: values), actor: Fixture.actor)
        }
        #expect(error.category == .invalidInput)
        for language in [Diagnostics.Language.de, .en] {
            let message = error.message(in: language)
            #expect(message.contains("\"\(named)\""), "\(message)")
            #expect(message.contains("child-endangerment, guardian-of-school-age-child, household-school-age-child"), "\(message)")
        }
        #expect(try gate.auditLog.size() == logged)
    }

    /// The stated value is logged with the decision (under `stated`) and `audit explain` replays it; without it in the
    /// entry the replay would find "condition not met" where the log says released.
    @Test func theReplayOfADecisionWithAStatedValueReproduces() throws {
        let inst = try GateTestInstallation()
        let gate = try inst.open()
        let result = try gate.check(Self.referral("RSK-T-8A", birthDate: "2017-06-01", values: ["child-endangerment": .bool(true)]),
                                    actor: Fixture.actor)
        #expect(result.decision.field("health.notes")?.outcome == .permit)
        let entry = try AuditEntry(bytes: gate.auditLog.entryBytes(index: result.auditIndex), context: "decision")
        guard case .decision(let record) = entry.content else { Issue.record("not a decision"); return }
        #expect(record.attributes[DecisionRecord.statedAttributesKey] == .object(["child-endangerment": .bool(true)]))
        let replay = try gate.explainDecision(index: result.auditIndex)
        #expect(replay.reproduces && replay.sameToday, "differences: \(replay.differencesArchived)")
    }

    /// An entry without stated values (every one written before) replays as before, and has no `stated` key.
    @Test func anEntryWithoutStatedValuesStillReplays() throws {
        let inst = try GateTestInstallation()
        let gate = try inst.open()
        let result = try gate.check(Self.referral("RSK-T-8B", birthDate: "2017-06-01", values: [:]), actor: Fixture.actor)
        let entry = try AuditEntry(bytes: gate.auditLog.entryBytes(index: result.auditIndex), context: "decision")
        guard case .decision(let record) = entry.content else { Issue.record("not a decision"); return }
        #expect(record.attributes[DecisionRecord.statedAttributesKey] == nil)
        let replay = try gate.explainDecision(index: result.auditIndex)
        #expect(replay.reproduces && replay.sameToday, "differences: \(replay.differencesArchived)")
    }
}
