import Foundation
import Testing
@testable import PolicyEngine

/// `policy explain` must not claim a release the evaluator refuses: a permit row lists under `fields` only what some
/// person, with every clause granted, really gets released; a field an unconditional forbid blocks for that partner
/// and purpose is listed under `blocked`, naming the forbid the evaluator names (CONTRACTS §3.3).
@Suite("Release matrix agrees with the evaluator")
struct ReleaseMatrixEvaluatorTests {
    static let at = Fixture.t("2026-06-01T12:00:00Z")
    static let office = SemanticsReviewTests.office

    /// Forbids added after `office-no-health`: none; an unconditional one under a consent permit; one under a statute
    /// permit; a conditional one (it does not block everyone); one `unless: explicit-consent` that no explicit clause
    /// can lift (contact is no explicit clause's category: it blocks as surely as a plain forbid). The fixture's own
    /// `agency-no-health` is the liftable kind: `health-explicit` lifts it, so `agency-consent` keeps `health.notes`.
    static let added: [String] = [
        "",
        "  - {id: agency-no-phone, effect: forbid, partners: [agency], purposes: [help], fields: [contact.phone], citation: \"§ 11 Test\"}",
        "  - {id: office-no-given, effect: forbid, partners: [office], fields: [name.given], citation: \"§ 12 Test\"}",
        "  - {id: office-no-given-adults, effect: forbid, partners: [office], fields: [name.given], when: {age: {ge: 18}}, citation: \"§ 13 Test\"}",
        "  - {id: agency-phone-explicit, effect: forbid, partners: [agency], fields: [contact.phone], unless: explicit-consent, citation: \"§ 14 Test\"}",
    ]

    /// One consent per template (current and earlier versions) granting every clause, valid at `at`, with a guardian.
    static func everyClause(_ b: PolicyBundle) -> [ConsentFact] {
        b.templateVersions.enumerated().map { n, t in
            ConsentFact(id: "c\(n)", templateID: t.id, templateVersion: t.version, clauses: t.clauses.map(\.id),
                        grantedAt: Fixture.t("2026-01-01T00:00:00Z"), expiresAt: Fixture.t("2026-12-31T00:00:00Z"),
                        withdrawnAt: nil, guardianPresent: true, verification: .verified)
        }
    }

    /// People of several ages, with and without the bundle's flags and in its first municipality or none: between
    /// them they meet every condition the fixtures and the shipped bundle state.
    static func people(_ b: PolicyBundle) -> [SubjectAttributes] {
        var out: [SubjectAttributes] = []
        let towns: [String?] = [nil, b.municipalities.first ?? "Siegburg"]
        for birth in ["2023-01-01", "2016-01-01", "2009-01-01", "1990-01-01"] {
            for flag in [false, true] {
                for town in towns {
                    var values: [String: AttributeValue] = [:]
                    for a in b.attributes where a.type == .bool && a.subject == nil {
                        values[a.id] = .bool(flag)
                        if let from = a.from { values[from] = .bool(flag) }
                    }
                    out.append(SubjectAttributes(birthDate: Fixture.d(birth), municipality: town, unaccompaniedMinor: flag,
                                                 guardianCount: 1, values: values))
                }
            }
        }
        return out
    }

    /// Whether a clause can release `field` under the consent row: it covers partner, purpose and the field's category,
    /// and is explicit for a special category.
    static func consentCanRelease(_ b: PolicyBundle, _ row: ReleaseMatrix.Row, _ field: String) -> Bool {
        guard let category = b.fields.first(where: { $0.id == field })?.category else { return false }
        let special = b.categories.first { $0.id == category }?.special ?? false
        return b.templateVersions.flatMap(\.clauses).contains { c in
            c.partners.contains(row.partner) && (c.purposes.isEmpty || c.purposes.contains(row.purpose))
                && c.categories.contains(category) && (c.explicit || !special)
        }
    }

    /// Every field of every permit row is released to some person with every clause granted; every blocked field is
    /// refused to everyone as `forbidden`, naming the forbid the row names.
    static func check(_ policy: CompiledPolicy) {
        let consents = everyClause(policy.bundle), people = people(policy.bundle)
        for row in ReleaseMatrix(policy).rows where row.basis == .statute || row.basis == .consent {
            let decisions = people.map { person in
                policy.decide(DecisionRequest(subject: "S-1", attributes: person, partner: row.partner, purpose: row.purpose,
                                              fields: row.fields + row.blocked.map(\.field), at: at), consents: consents)
            }
            for field in row.fields {
                #expect(decisions.contains { $0.released.contains(field) },
                        "\(row.partner)/\(row.purpose) \(row.rule) claims \(field), which no one gets released")
            }
            // A field of a special category that no template offers an explicit clause for: refused to everyone as
            // `consent-not-explicit` (with every clause granted, the plain ones included).
            for field in row.needsExplicitClause {
                #expect(!consentCanRelease(policy.bundle, row, field), "\(row.rule) \(field) has an explicit clause")
                for d in decisions {
                    #expect(!d.released.contains(field), "\(row.rule) lists \(field) as needing an explicit clause, yet releases it")
                }
            }
            for b in row.blocked {
                for d in decisions {
                    let f = d.fields.first { $0.field == b.field }
                    #expect(f?.reason == .forbidden && f?.rule == b.forbid, "\(row.rule) \(b.field): \(String(describing: f))")
                }
            }
        }
    }

    @Test("Every permit row's field is released to someone; blocked fields are forbidden by the named rule", arguments: added)
    func matrixMatchesEvaluator(added: String) throws {
        let bundle = try TempBundle(replacing: [(Self.office, Self.office + (added.isEmpty ? "" : "\n" + added))])
        #expect(bundle.problems == [])
        Self.check(try CompiledPolicy.load(directory: bundle.url))
    }

    @Test("The shipped bundle's matrix claims only releases the evaluator makes")
    func shippedBundle() throws {
        Self.check(try CompiledPolicy.load(directory: Fixture.shipped))
    }

    @Test("A special-category field no template offers an explicit clause for leaves the consent row's fields, in every output form")
    func needsExplicitClauseShown() throws {
        // The fixture's religion clause is plain: `agency-consent` covers religion.affiliation but can never release it.
        let matrix = ReleaseMatrix(try Fixture.small(), partner: "agency", purpose: "help")
        let row = try #require(matrix.rows.first { $0.rule == "agency-consent" })
        #expect(row.needsExplicitClause == ["religion.affiliation"])
        #expect(!row.fields.contains("religion.affiliation") && row.fields.contains("health.notes"), "\(row.fields)")
        #expect(matrix.table(in: .en).contains("    needs an explicit clause, which no template offers: religion.affiliation\n"))
        #expect(matrix.table(in: .de).contains("    nur mit ausdrücklicher Klausel, die keine Vorlage anbietet: religion.affiliation\n"))
        #expect(matrix.markdown(in: .en).contains("(needs an explicit clause, which no template offers: religion.affiliation)"))
        #expect(!matrix.csv().contains("religion.affiliation"))
        #expect(matrix.json().serialized.contains("\"needs-explicit-clause\":[\"religion.affiliation\"]"))
        #expect(matrix.json().serialized.hasPrefix("{\"matrix-version\":2,"), "fields changed meaning: a new version")
    }

    @Test("A blocked field leaves the permit's fields, in every output form, naming the forbid")
    func blockedFieldShown() throws {
        let bundle = try TempBundle(replacing: [(Self.office, Self.office + "\n" + Self.added[2])])
        let matrix = ReleaseMatrix(try CompiledPolicy.load(directory: bundle.url), partner: "office", purpose: "planning")
        let row = try #require(matrix.rows.first { $0.rule == "office-names" })
        #expect(row.fields == ["name.family"])
        #expect(row.blocked == [ReleaseMatrix.BlockedField(field: "name.given", forbid: "office-no-given")])
        #expect(matrix.table(in: .en).contains("    fields: name.family\n    blocked by forbid office-no-given: name.given\n"))
        #expect(matrix.table(in: .de).contains("    Felder: name.family\n    gesperrt durch Verbot office-no-given: name.given\n"))
        #expect(matrix.markdown(in: .en).contains("| name.family (blocked by forbid office-no-given: name.given) |"))
        #expect(!matrix.csv().contains("office,planning,name.given,statute"))
        #expect(matrix.csv().contains("office,planning,name.given,never,office-no-given,"))
        let json = matrix.json().serialized
        #expect(json.contains("\"fields\":[\"name.family\"],\"clauses\":[],\"blocked\":[{\"field\":\"name.given\",\"forbid\":\"office-no-given\"}]"))
    }
}
