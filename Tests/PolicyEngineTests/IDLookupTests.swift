import Foundation
import Testing
@testable import PolicyEngine

/// The id tables `decide` resolves fields, partners, purposes, templates and clauses with: they must answer
/// exactly as `Dictionary<String, Int32>` (String equality), and `decide` must equal its three public steps.
@Suite struct IDLookupTests {
    static let asciiIDs = ["a", "", "case.id", "person.birth-date", "exactly8", "exactly16-bytes!", "x" + String(repeating: "y", count: 40),
                           "household.school-age-child", "b", "ab", "ba"]

    @Test func everyIDIsFoundAtItsIndexAndLookalikesAreNot() {
        let table = IDLookup(Self.asciiIDs)
        for (i, id) in Self.asciiIDs.enumerated() { #expect(table.index(of: id) == Int32(i), "\(id)") }
        for miss in ["A", "case.i", "case.idd", "exactly9", "exactly16-bytes?", "x" + String(repeating: "y", count: 39), "c", " a"] {
            #expect(table.index(of: miss) == nil, "\(miss)")
        }
    }

    @Test func manyIDsAgreeWithADictionary() {
        let ids = (0..<600).map { "field.\($0 * 7919 % 1000).v\($0 % 13)" }
        let table = IDLookup(ids)
        var reference: [String: Int32] = [:]
        for (i, id) in ids.enumerated() { reference[id] = Int32(i) }
        for probe in ids + (0..<600).map({ "field.\($0).w" }) { #expect(table.index(of: probe) == reference[probe], "\(probe)") }
    }

    @Test func repeatedIDsKeepTheLastOrTheFirst() {
        #expect(IDLookup(["a", "b", "a"]).index(of: "a") == 2)
        #expect(IDLookup(["a", "b", "a"], firstWins: true).index(of: "a") == 0)
    }

    /// Non-ASCII ids go to the dictionary: canonically equivalent spellings are equal `String`s.
    @Test func nonASCIIUsesStringEquality() {
        let composed = "beratung.\u{E9}", decomposed = "beratung.e\u{301}"
        let table = IDLookup(["plain", composed])
        #expect(table.index(of: decomposed) == 1)
        #expect(table.index(of: composed) == 1)
        #expect(table.index(of: "plain") == 0)
        // An ASCII table asked for a non-ASCII id, and a Kelvin sign (canonically equal to "K").
        let ascii = IDLookup(["K", "plain"])
        #expect(ascii.index(of: "\u{212A}") == 0)
        #expect(ascii.index(of: "pl\u{E4}in") == nil)
    }

    /// `decide` (stack buffers, in-place explanation) equals `prepare` + `evaluate` + `decision(for:)`, also for
    /// unknown fields, partners and purposes.
    @Test func decideEqualsItsSteps() throws {
        let policy = try CompiledPolicy.load(directory: Fixture.shipped)
        let at = Fixture.t("2026-11-25T10:00:00Z")
        let clauses = policy.bundle.template("kim-beratung")!.clauses.map(\.id)
        let consents = [
            ConsentFact(id: "c-1", templateID: "kim-beratung", templateVersion: 3, clauses: Array(clauses.prefix(3)),
                        grantedAt: at.addingTimeInterval(-86_400 * 100), expiresAt: at.addingTimeInterval(86_400 * 300)),
            ConsentFact(id: "c-2", templateID: "kim-beratung", templateVersion: 3, clauses: Array(clauses.suffix(3)),
                        grantedAt: at.addingTimeInterval(-86_400 * 50), expiresAt: at.addingTimeInterval(86_400 * 300),
                        withdrawnAt: at.addingTimeInterval(-86_400)),
            ConsentFact(id: "c-3", templateID: "kim-beratung", templateVersion: 1, clauses: clauses,
                        grantedAt: at.addingTimeInterval(-86_400 * 10), expiresAt: at.addingTimeInterval(86_400 * 30)),
        ]
        let fields = policy.bundle.fields.map(\.id) + ["no.such-field", ""]
        var checked = 0
        for partner in policy.bundle.partners.map(\.id) + ["nobody"] {
            for purpose in policy.bundle.purposes.map(\.id) + ["fun"] {
                let request = DecisionRequest(subject: "RSK-2022-000017", attributes: SubjectAttributes(birthDate: Fixture.d("1990-01-01")),
                                              partner: partner, purpose: purpose, fields: fields, at: at)
                let prepared = policy.prepare(partner: partner, purpose: purpose, fields: fields)
                var out = [FieldOutcome](repeating: FieldOutcome(), count: fields.count)
                policy.evaluate(prepared, subject: request.attributes, consents: consents, at: at, into: &out)
                let stepwise = policy.decision(for: request, outcomes: out, consents: consents)
                let decided = policy.decide(request, consents: consents)
                #expect(decided == stepwise, "\(partner)/\(purpose)")
                #expect(decided.fields.map(\.field) == fields)
                checked += decided.fields.filter { $0.consent != nil }.count
            }
        }
        #expect(checked > 0, "some decision names a consent clause")
    }
}
