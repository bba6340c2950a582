import Foundation
import Testing
@testable import PolicyEngine

/// The words a case manager reads for a withheld field (found in a domain review): a forbid that an explicit consent
/// lifts no longer reads "explicitly forbidden" (nobody asked for the consent the policy provides), and names the
/// consent found when it does not hold; a plain forbid still does; an unmet condition names the rule's condition. A
/// forbid has no legal basis, so the decision names none for it (it said `"basis": "statute"`).
@Suite struct DenialWordsTests {
    static let adult = SubjectAttributes(birthDate: Fixture.d("1990-01-01"))

    func decide(_ partner: String, _ purpose: String, _ field: String, attributes: SubjectAttributes = adult,
                consents: [ConsentFact] = []) throws -> (FieldDecision, CompiledPolicy) {
        let policy = try Fixture.small()
        let d = policy.decide(DecisionRequest(subject: "S-1", attributes: attributes, partner: partner, purpose: purpose,
                                              fields: [field], at: Fixture.t("2026-06-01T12:00:00Z")), consents: consents)
        return (try #require(d.fields.first), policy)
    }

    @Test(arguments: [
        // A forbid an explicit consent lifts, with none on record.
        ("agency", "help", "health.notes", [ConsentFact](), "gesperrt, außer mit ausdrücklicher Einwilligung; keine liegt vor",
         "blocked unless an explicit consent is given; none is on record"),
        // The same with the explicit consent withdrawn: named, and said not to hold.
        ("agency", "help", "health.notes", [Fixture.consent("c-9", clauses: ["health-explicit"], withdrawn: "2026-03-01T00:00:00Z")],
         "gesperrt, außer mit ausdrücklicher Einwilligung; die gefundene (Einwilligung c-9, Klausel health-explicit) gilt nicht: widerrufen, abgelaufen oder ungültig",
         "blocked unless an explicit consent is given; the one found (consent c-9, clause health-explicit) does not hold: withdrawn, expired or invalid"),
        // A plain forbid.
        ("office", "planning", "health.notes", [ConsentFact](), "ausdrücklich verboten", "explicitly forbidden"),
        // An unmet condition, with the rule's condition in words (the attribute by its label where it has one).
        ("office", "planning", "birth.date", [ConsentFact](), "Bedingung der Regel nicht erfüllt: age unter 18", "rule condition not met: age below 18"),
    ] as [(String, String, String, [ConsentFact], String, String)])
    func wordsSayWhatWouldOpenTheField(partner: String, purpose: String, field: String, consents: [ConsentFact], de: String, en: String) throws {
        let (f, policy) = try decide(partner, purpose, field, consents: consents)
        #expect(f.outcome == .deny)
        #expect(policy.denialWords(for: f)?.de == de)
        #expect(policy.denialWords(for: f)?.en == en)
    }

    @Test func aForbiddenFieldNamesNoBasisAndAReleasedOneDoes() throws {
        let (forbidden, policy) = try decide("office", "planning", "health.notes")
        #expect(forbidden.reason == .forbidden && forbidden.rule == "office-no-health")
        #expect(forbidden.basis == nil)
        #expect(policy.denialWords(for: forbidden) != nil)
        let (released, _) = try decide("office", "planning", "name.family")
        #expect(released.outcome == .permit && released.basis == .statute)
        #expect(policy.denialWords(for: released) == nil)
    }
}
