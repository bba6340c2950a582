import Foundation
import Testing
@testable import PolicyEngine

/// A forbid with a `when` on an attribute the subject lacks still forbids (fail closed), while a permit with such
/// a condition still releases nothing (`condition-not-met`).
@Suite struct ConditionalForbidTests {
    /// The fixture bundle with a forbid on `name.given` for unaccompanied minors; `soft`: one explicit consent lifts
    /// (`unless: explicit-consent`).
    static func policy(soft: Bool = false) throws -> (CompiledPolicy, TempBundle) {
        let unless = soft ? ", unless: explicit-consent" : ""
        let bundle = try TempBundle(replacing: [("  - {id: office-no-health,",
            "  - {id: office-no-given-name-for-minors, effect: forbid, partners: [office], fields: [name.given], when: {unaccompanied-minor: true}\(unless), citation: \"§ 9 Test\"}\n  - {id: office-no-health,")])
        return (try CompiledPolicy.load(directory: bundle.url), bundle)
    }

    /// A forbid that an explicit consent may lift fails closed on an unknown attribute as a plain forbid does (found by
    /// mutation testing, session 35: evaluating such a forbid's condition as "unknown does not hold" passed every test).
    @Test func unknownAttributeDoesNotLiftAForbidThatConsentCouldLift() throws {
        let (policy, bundle) = try Self.policy(soft: true)
        defer { bundle.remove() }
        let d = Self.decide(policy, SubjectAttributes())
        #expect(d.fields[0].outcome == .deny && d.fields[0].reason == .forbidden, "\(d.fields[0])")
        #expect(d.fields[0].rule == "office-no-given-name-for-minors")
        var other = SubjectAttributes(); other.unaccompaniedMinor = false
        #expect(Self.decide(policy, other).fields[0].outcome == .permit)
    }

    static func decide(_ policy: CompiledPolicy, _ attributes: SubjectAttributes) -> Decision {
        policy.decide(DecisionRequest(subject: "RSK-1", attributes: attributes, partner: "office", purpose: "planning",
                                      fields: ["name.given", "name.family", "birth.date"], at: Fixture.t("2026-11-25T10:00:00Z")),
                      consents: [])
    }

    @Test func unknownAttributeDoesNotLiftAForbid() throws {
        let (policy, bundle) = try Self.policy()
        defer { bundle.remove() }
        let d = Self.decide(policy, SubjectAttributes())
        #expect(d.fields[0].outcome == .deny)
        #expect(d.fields[0].reason == .forbidden)
        #expect(d.fields[0].rule == "office-no-given-name-for-minors")
        #expect(d.fields[1].outcome == .permit)
        // The permit `office-children` tests `age`, unknown here: still no release.
        #expect(d.fields[2].reason == .conditionNotMet)
    }

    @Test func knownAttributeDecidesTheForbid() throws {
        let (policy, bundle) = try Self.policy()
        defer { bundle.remove() }
        var minor = SubjectAttributes(); minor.unaccompaniedMinor = true
        var other = SubjectAttributes(); other.unaccompaniedMinor = false
        #expect(Self.decide(policy, minor).fields[0].reason == .forbidden)
        #expect(Self.decide(policy, other).fields[0].outcome == .permit)
        #expect(Self.decide(policy, other).fields[0].rule == "office-names")
    }
}
