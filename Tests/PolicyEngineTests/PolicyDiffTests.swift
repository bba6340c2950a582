import Diagnostics
import Foundation
import Testing
@testable import PolicyEngine

/// `PolicyDiff`: what a policy change changes, per partner, purpose and field, and the release summary the DPO reads
/// first (held to the evaluator's own answers on the shipped bundle and the small fixture).
@Suite struct PolicyDiffTests {
    /// A change to the small fixture and the changes it must show: partner/purpose/field, kind, direction, release
    /// before and after.
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var replacements: [(String, String)]
        var expected: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "a field added to a statute permit",
             replacements: [("fields: [name.*], basis: statute", "fields: [name.*, contact.phone], basis: statute")],
             expected: ["office/planning/contact.phone changed wider statute-conditional→statute"]),
        Case(name: "an unconditional forbid removed where nothing permits",
             replacements: [("  - {id: office-no-health, effect: forbid, partners: [office], fields: [health.notes], citation: \"§ 88 Test\"}\n", "")],
             expected: ["office/help/health.notes removed same never→never", "office/planning/health.notes removed same never→never"]),
        Case(name: "the explicit-consent exception dropped from a forbid",
             replacements: [("categories: [health], unless: explicit-consent, citation", "categories: [health], citation")],
             expected: ["agency/help/health.notes changed narrower explicit-consent→never", "agency/planning/health.notes changed same never→never"]),
        Case(name: "a condition changed",
             replacements: [("when: {age: {lt: 18}}, basis: statute", "when: {age: {lt: 16}}, basis: statute")],
             expected: ["office/planning/birth.date changed same statute-conditional→statute-conditional"]),
        Case(name: "the explicit health clause removed from the template",
             replacements: [("      - {id: health-explicit, partners: [agency], purposes: [help], categories: [health], explicit: true}\n", "")],
             expected: ["agency/help/health.notes changed narrower explicit-consent→never"]),
        Case(name: "a consent permit for a new partner purpose",
             replacements: [("partners: [agency], purposes: [help], categories: [identity, contact, health, religion], basis: consent",
                             "partners: [agency], purposes: [help, planning], categories: [identity, contact, health, religion], basis: consent")],
             // No clause of the template covers the purpose planning: the new rule releases nothing (yet).
             expected: ["agency/planning/birth.date added same never→never", "agency/planning/contact.phone added same never→never",
                        "agency/planning/health.notes changed same never→never",
                        "agency/planning/name.family added same never→never", "agency/planning/name.given added same never→never",
                        "agency/planning/religion.affiliation added same never→never"]),
        Case(name: "a consent permit for a new partner purpose, with clauses for it",
             replacements: [("partners: [agency], purposes: [help], categories: [identity, contact, health, religion], basis: consent",
                             "partners: [agency], purposes: [help, planning], categories: [identity, contact, health, religion], basis: consent"),
                            ("{id: basic, partners: [agency], purposes: [help], categories: [identity, contact]}",
                             "{id: basic, partners: [agency], purposes: [help, planning], categories: [identity, contact]}"),
                            ("{id: health-explicit, partners: [agency], purposes: [help], categories: [health], explicit: true}",
                             "{id: health-explicit, partners: [agency], purposes: [help, planning], categories: [health], explicit: true}")],
             // Religion has only a plain clause: a special category, so it is still never released.
             expected: ["agency/planning/birth.date added wider never→consent", "agency/planning/contact.phone added wider never→consent",
                        "agency/planning/health.notes changed wider never→explicit-consent",
                        "agency/planning/name.family added wider never→consent", "agency/planning/name.given added wider never→consent",
                        "agency/planning/religion.affiliation added same never→never"]),
    ]

    static func summary(_ c: PolicyDiff.Change) -> String {
        "\(c.partner)/\(c.purpose)/\(c.field) \(c.kind.rawValue) \(c.direction) \(c.releaseBefore.id)→\(c.releaseAfter.id)"
    }

    @Test(arguments: cases)
    func aChangeShowsExactlyTheFieldsItTouches(_ c: Case) throws {
        let changed = try TempBundle(replacing: c.replacements)
        defer { changed.remove() }
        let diff = PolicyDiff(old: try Fixture.small(), new: try CompiledPolicy.load(directory: changed.url))
        #expect(diff.changes.map(Self.summary) == c.expected)
        #expect(diff.old.digest != diff.new.digest)
        // Both languages say what happened, and the JSON carries the same.
        let json = diff.json().serialized
        for change in diff.changes {
            #expect(json.contains("\"field\":\"\(change.field)\""))
            #expect(diff.text(in: .de).contains("\(change.partner) / \(change.purpose) / \(change.field)"))
        }
    }

    @Test func aNarrowerChangeIsSaidInWordsWithTheRulesBeforeAndAfter() throws {
        let changed = try TempBundle(replacing: [("categories: [health], unless: explicit-consent, citation", "categories: [health], citation")])
        defer { changed.remove() }
        let diff = PolicyDiff(old: try Fixture.small(), new: try CompiledPolicy.load(directory: changed.url))
        let de = diff.text(in: .de), en = diff.text(in: .en)
        #expect(de.contains("agency / help / health.notes: geändert; enger: nur mit ausdrücklicher Einwilligung → nie"), "\(de)")
        #expect(en.contains("agency / help / health.notes: changed; narrower: only with explicit consent → never"), "\(en)")
        #expect(de.contains("vorher:  Einwilligung: agency-consent (Art. 6 DSGVO); Klauseln t/health-explicit (ausdrücklich), t/health-plain"), "\(de)")
    }

    @Test func theSameBundleHasNoChanges() throws {
        let diff = PolicyDiff(old: try Fixture.small(), new: try Fixture.small())
        #expect(diff.changes.isEmpty)
        #expect(diff.text(in: .de).contains("Keine Änderung"))
        #expect(diff.text(in: .en).contains("No change"))
        let shipped = try CompiledPolicy.load(directory: Fixture.shipped)
        #expect(PolicyDiff(old: shipped, new: shipped).changes.isEmpty)
    }

    /// The summary never says more than the evaluator does: `never` is never permitted, an unconditional statute
    /// permit always is without any consent, a consent level never is without consent and is with every clause
    /// (where a clause covering the field exists), for a range of people.
    @Test(arguments: ["small", "shipped"])
    func theReleaseSummaryAgreesWithTheEvaluator(_ which: String) throws {
        let policy = which == "small" ? try Fixture.small() : try CompiledPolicy.load(directory: Fixture.shipped)
        let at = Fixture.t("2026-11-25T10:00:00Z")
        var people: [SubjectAttributes] = []
        for age in [3, 8, 15, 17, 40] {
            for municipality in ["Siegburg", "Troisdorf", "Niederkassel", "Bonn"] {
                for alone in [false, true] {
                    let birth = Calendar(identifier: .gregorian).date(byAdding: .year, value: -age, to: at)!.addingTimeInterval(-86_400 * 30)
                    people.append(SubjectAttributes(birthDate: birth, municipality: municipality, unaccompaniedMinor: alone, guardianCount: 2))
                }
            }
        }
        let everything = policy.bundle.templates.map { t in
            ConsentFact(id: "all-\(t.id)-\(t.version)", templateID: t.id, templateVersion: t.version, clauses: t.clauses.map(\.id),
                        grantedAt: at.addingTimeInterval(-86_400 * 30), expiresAt: at.addingTimeInterval(86_400 * 300),
                        withdrawnAt: nil, guardianPresent: true, verification: .verified)
        }
        var checked = 0
        for entry in PolicyDiff.releases(of: policy) {
            func permitted(_ person: SubjectAttributes, _ consents: [ConsentFact]) -> Bool {
                let request = DecisionRequest(subject: "RSK-2022-000001", attributes: person, partner: entry.partner, purpose: entry.purpose,
                                              fields: [entry.field], at: at)
                return policy.decide(request, consents: consents).fields[0].outcome == .permit
            }
            let what = "\(entry.partner)/\(entry.purpose)/\(entry.field) \(entry.release.id)"
            switch (entry.release.level, entry.release.conditional) {
            case (.never, _):
                #expect(people.allSatisfy { !permitted($0, everything) }, "\(what)")
            case (.statute, false):
                #expect(people.allSatisfy { permitted($0, []) }, "\(what)")
            case (.consent, let conditional), (.explicitConsent, let conditional):
                #expect(people.allSatisfy { !permitted($0, []) }, "\(what)")
                // A consent level is said only where some clause can release the field (an explicit one where needed).
                if !conditional { #expect(people.allSatisfy { permitted($0, everything) }, "\(what)") }
            case (.statute, true):
                break
            }
            checked += 1
        }
        #expect(checked > (which == "small" ? 10 : 100))
    }
}
