import Foundation
import Testing
@testable import PolicyEngine

/// Policy semantics review: what CONTRACTS §3 (semantics 1–6) and docs/policy.md let a DPO predict, held against
/// the engine on small edits of the `small` fixture.
@Suite("Semantics review")
struct SemanticsReviewTests {
    static let office = "  - {id: office-no-health, effect: forbid, partners: [office], fields: [health.notes], citation: \"§ 88 Test\"}"
    static let at = Fixture.t("2026-06-01T12:00:00Z")
    static let adult = SubjectAttributes(birthDate: Fixture.d("1990-01-01"))

    /// Every clause of template `t`, granted, valid at `at`.
    static let everything = Fixture.consent(clauses: ["basic", "health-explicit", "health-plain", "religion-plain"])

    static func decide(_ policy: CompiledPolicy, partner: String, purpose: String, _ fields: [String],
                       consents: [ConsentFact] = [everything]) -> Decision {
        policy.decide(DecisionRequest(subject: "S-1", attributes: adult, partner: partner, purpose: purpose, fields: fields, at: at),
                      consents: consents)
    }

    // MARK: Semantics 6: a permit that a forbid `unless: explicit-consent` always blocks

    /// `agency-no-health` forbids health data to the agency for every purpose unless an explicit clause covers it, but
    /// the only explicit health clause is for `help`. A statute permit for `planning` can therefore never release
    /// anything, whatever the person signs: it is fully shadowed, and loading must say so at the rule.
    @Test func aPermitBehindAnUnliftableUnlessIsShadowed() throws {
        let added = "  - {id: agency-planning-health, effect: permit, partners: [agency], purposes: [planning], fields: [health.notes], basis: statute, citation: \"§ 9 Test\"}"
        let bundle = try TempBundle(replacing: [(Self.office, Self.office + "\n" + added)])
        defer { bundle.remove() }
        // What the evaluator does with it: never a release, even with every clause granted and a statute basis.
        var loaded = try BundleLoader.load(directory: Fixture.url("small"))
        loaded.rules.append(Rule(id: "agency-planning-health", effect: .permit, partners: ["agency"], purposes: ["planning"],
                                 fields: ["health.notes"], basis: .statute, citation: "§ 9 Test"))
        let policy = CompiledPolicy(loaded)
        let d = Self.decide(policy, partner: "agency", purpose: "planning", ["health.notes"])
        #expect(d.fields[0].outcome == .deny && d.fields[0].reason == .forbidden && d.fields[0].rule == "agency-no-health")
        // What loading says.
        let shadowed = bundle.problems.filter { $0.code == "permit-shadowed" }
        #expect(shadowed.count == 1)
        #expect(shadowed.first?.location?.line == 34 && shadowed.first?.location?.column == 5)
        #expect(shadowed.first?.message.en.contains("`agency-planning-health`") == true)
        #expect(shadowed.first?.message.en.contains("`agency-no-health`") == true)
        #expect(shadowed.first?.message.en.contains("no explicit consent clause") == true)
        #expect(shadowed.first?.message.de.contains("keine ausdrückliche Einwilligungsklausel") == true)
    }

    /// The same permit for `help`, where the explicit clause `health-explicit` can lift the forbid, is not shadowed;
    /// nor is a permit of which only some fields sit behind an unliftable `unless`.
    @Test(arguments: [
        "  - {id: agency-help-health, effect: permit, partners: [agency], purposes: [help], fields: [health.notes], basis: statute, citation: \"§ 9 Test\"}",
        "  - {id: agency-planning-mixed, effect: permit, partners: [agency], purposes: [planning], fields: [health.notes, name.family], basis: statute, citation: \"§ 9 Test\"}",
    ])
    func aPermitAnExplicitClauseCanOpenIsNotShadowed(added: String) throws {
        let bundle = try TempBundle(replacing: [(Self.office, Self.office + "\n" + added)])
        defer { bundle.remove() }
        #expect(bundle.problems == [])
    }

    // MARK: Semantics 3/5: which forbid a `forbidden` names

    /// A forbid without `unless` and a forbid `unless: explicit-consent` both cover the field, the latter first in
    /// bundle order. The decision names the one no consent can lift (whether or not an explicit clause is valid), so
    /// the DPO is not sent to collect a consent that would change nothing; docs/policy.md says so.
    @Test(arguments: [[], [everything]])
    func forbiddenNamesTheForbidNoConsentLifts(consents: [ConsentFact]) throws {
        let added = "  - {id: agency-no-health-notes, effect: forbid, partners: [agency], purposes: [help], fields: [health.notes], citation: \"§ 10 Test\"}"
        let bundle = try TempBundle(replacing: [(Self.office, Self.office + "\n" + added)])
        defer { bundle.remove() }
        let policy = try CompiledPolicy.load(directory: bundle.url)
        let d = Self.decide(policy, partner: "agency", purpose: "help", ["health.notes"], consents: consents)
        #expect(d.fields[0].reason == .forbidden && d.fields[0].rule == "agency-no-health-notes")
        let doc = try String(contentsOf: Fixture.shipped.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("docs/policy.md"), encoding: .utf8)
        #expect(doc.contains("naming the first forbid without `unless` in bundle order"))
    }

    // MARK: `policy explain`: the clauses a consent row lists

    /// The release matrix lists, for a consent rule, the clauses that can release its fields. A plain clause on a
    /// special category (`religion-plain`, `health-plain`) releases nothing (semantics 2: `consent-not-explicit`), so
    /// listing it tells the DPO that signing it releases religion or health data. Every clause listed must release
    /// at least one of the row's fields when it is the only clause granted.
    @Test func everyClauseTheMatrixListsReleasesSomething() throws {
        let policy = try Fixture.small()
        let matrix = ReleaseMatrix(policy)
        let rows = matrix.rows.filter { $0.basis == .consent }
        #expect(!rows.isEmpty)
        for row in rows {
            for listed in row.clauses {
                let clause = String(listed.split(separator: "/")[1].split(separator: " ")[0])
                let d = Self.decide(policy, partner: row.partner, purpose: row.purpose, row.fields,
                                    consents: [Fixture.consent(clauses: [clause])])
                #expect(!d.released.isEmpty, "\(row.partner)/\(row.purpose) \(row.rule) lists \(listed), which releases nothing")
            }
        }
        let agency = try #require(matrix.rows.first { $0.rule == "agency-consent" && $0.purpose == "help" })
        #expect(agency.clauses == ["t/basic", "t/health-explicit (explicit)"])
    }

    // MARK: Semantics 3/5: a forbid `unless: explicit-consent` that a lapsed explicit clause no longer lifts

    /// The person signed the explicit health clause, then withdrew it (or it expired, or its record fails
    /// verification). The forbid applies again (`forbidden`), but the decision must say which explicit consent it
    /// found lacking, as it does for a consent permit: otherwise the DPO cannot tell "withdrawn yesterday" from
    /// "never asked", and a renewed consent from a missing one.
    @Test(arguments: [
        (Fixture.consent(clauses: ["basic", "health-explicit"], withdrawn: "2026-05-01T00:00:00Z"), "c1"),
        (Fixture.consent(clauses: ["health-explicit"], expires: "2026-06-01T12:00:00Z"), "c1"),
        (Fixture.consent(clauses: ["health-explicit"], verification: .invalid(reason: "bad signature")), "c1"),
    ])
    func aLapsedExplicitClauseIsNamedOnTheForbid(consent: ConsentFact, id: String) throws {
        let policy = try Fixture.small()
        let plain = Fixture.consent("c0", clauses: ["health-plain"])
        let d = Self.decide(policy, partner: "agency", purpose: "help", ["health.notes"], consents: [plain, consent])
        #expect(d.fields[0].reason == .forbidden && d.fields[0].rule == "agency-no-health")
        #expect(d.fields[0].consent == ConsentReference(id: id, clause: "health-explicit"))
        // A plain clause is not what the forbid asks for: with it alone, no consent is named.
        let alone = Self.decide(policy, partner: "agency", purpose: "help", ["health.notes"], consents: [plain])
        #expect(alone.fields[0].reason == .forbidden && alone.fields[0].consent == nil)
    }
}
