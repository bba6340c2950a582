import Foundation
import Testing
@testable import PolicyEngine

/// A consent on an earlier version the bundle keeps is read against that version: its clauses grant what that
/// version's clauses say, not what the current version's clauses of the same id say; the digest covers earlier
/// versions, and a bundle without them keeps its digest.
@Suite struct EarlierTemplateVersionsEvaluationTests {
    static func keepingVersionOne() throws -> TempBundle {
        try EarlierTemplateVersionsLoaderTests.bundle(EarlierTemplateVersionsLoaderTests.versionOne)
    }

    static func decide(_ policy: CompiledPolicy, _ consent: ConsentFact, fields: [String]) -> [String: String] {
        let request = DecisionRequest(subject: "RSK-1", attributes: SubjectAttributes(birthDate: Fixture.d("1980-01-01")), partner: "agency",
                                      purpose: "help", fields: fields, at: Fixture.t("2026-03-01T00:00:00Z"))
        let d = policy.decide(request, consents: [consent])
        return Dictionary(uniqueKeysWithValues: d.fields.map { ($0.field, $0.outcome == .permit ? "permit/\($0.consent?.clause ?? "")" : ($0.reason?.rawValue ?? "deny")) })
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var version: Int
        var clauses: [String]
        var expected: [String: String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "a clause only version 1 has grants what it says there", version: 1, clauses: ["old-basic"],
             expected: ["name.family": "permit/old-basic", "contact.phone": "consent-missing"]),
        Case(name: "a clause of the same id grants version 1's scope, not version 2's", version: 1, clauses: ["basic"],
             expected: ["name.family": "consent-missing", "contact.phone": "permit/basic"]),
        Case(name: "the current version's clause on a current consent", version: 2, clauses: ["basic"],
             expected: ["name.family": "permit/basic", "contact.phone": "permit/basic"]),
        Case(name: "a clause of version 2 cited on a version 1 consent grants nothing", version: 1, clauses: ["health-explicit"],
             expected: ["name.family": "consent-missing", "health.notes": "forbidden"]),
        Case(name: "a version the bundle does not hold is invalid", version: 0, clauses: ["basic"],
             expected: ["name.family": "consent-invalid", "contact.phone": "consent-invalid"]),
    ]

    @Test(arguments: cases)
    func aConsentIsReadAgainstItsOwnVersion(_ c: Case) throws {
        let b = try Self.keepingVersionOne()
        defer { b.remove() }
        let policy = try CompiledPolicy.load(directory: b.url)
        let fact = Fixture.consent(clauses: c.clauses, granted: "2026-01-01T00:00:00Z", expires: "2026-06-30T00:00:00Z", version: c.version)
        let got = Self.decide(policy, fact, fields: Array(c.expected.keys).sorted())
        #expect(got == c.expected)
    }

    /// Version 1's own validity (P6M) and minimum age (14) apply to its consents, not version 2's (P1Y, 16).
    @Test func anEarlierVersionsValidityAndMinimumAgeApply() throws {
        let b = try Self.keepingVersionOne()
        defer { b.remove() }
        let policy = try CompiledPolicy.load(directory: b.url)
        // Seven months: within version 2's P1Y, beyond version 1's P6M.
        let long = { (v: Int) in Fixture.consent(clauses: ["basic"], granted: "2026-01-01T00:00:00Z", expires: "2026-08-01T00:00:00Z", version: v) }
        #expect(Self.decide(policy, long(1), fields: ["contact.phone"]) == ["contact.phone": "consent-invalid"])
        #expect(Self.decide(policy, long(2), fields: ["contact.phone"]) == ["contact.phone": "permit/basic"])
        // A 15-year-old without a guardian: enough for version 1 (14), not for version 2 (16).
        for (version, expected) in [(1, "permit/basic"), (2, "consent-invalid")] {
            let request = DecisionRequest(subject: "RSK-1", attributes: SubjectAttributes(birthDate: Fixture.d("2010-06-01")), partner: "agency",
                                          purpose: "help", fields: ["contact.phone"], at: Fixture.t("2026-03-01T00:00:00Z"))
            let fact = Fixture.consent(clauses: ["basic"], granted: "2026-01-01T00:00:00Z", expires: "2026-06-30T00:00:00Z", version: version)
            let d = policy.decide(request, consents: [fact])
            let got = d.fields[0].outcome == .permit ? "permit/\(d.fields[0].consent?.clause ?? "")" : (d.fields[0].reason?.rawValue ?? "")
            #expect(got == expected, "version \(version)")
        }
    }

    /// The digest pins stay (a bundle without earlier versions has the digest it always had); keeping an earlier
    /// version, or changing one, changes it; the order in which earlier versions are written does not.
    @Test func theDigestCoversEarlierVersionsOnlyWhenKept() throws {
        #expect(try Fixture.small().digest == "sha256:6970a87acaa41bb6d9616dff8af849b8493e371f162e4ebc9d33e535d4f2928d")
        let loader = EarlierTemplateVersionsLoaderTests.self
        let zero = loader.versionOne.map { $0.replacingOccurrences(of: "version: 1", with: "version: 0") }
        let one = try Self.keepingVersionOne(), both = try loader.bundle(loader.versionOne + zero),
            reversed = try loader.bundle(zero + loader.versionOne),
            reworded = try loader.bundle(loader.versionOne.map { $0.replacingOccurrences(of: "categories: [contact]", with: "categories: [contact, identity]") })
        defer { one.remove(); both.remove(); reversed.remove(); reworded.remove() }
        let digests = try [one, both, reversed, reworded].map { try BundleLoader.load(directory: $0.url).digest }
        #expect(digests[0] != (try Fixture.small().digest))
        #expect(digests[0] != digests[1] && digests[1] == digests[2] && digests[0] != digests[3])
        #expect(BundleDigest.canonicalForm(of: try BundleLoader.load(directory: Fixture.url("small"))).serialized.contains("earlier-versions") == false)
    }

    /// `policy explain` and `policy diff` name the clauses that can open a field from every version a consent may cite:
    /// an explicit health clause only the kept version 1 has still lifts the forbid for those who signed it, so the
    /// matrix lists it (with its version) and the diff does not call health `never` (as the evaluator answers).
    @Test func explainAndDiffNameAClauseOnlyAnEarlierVersionHas() throws {
        let loader = EarlierTemplateVersionsLoaderTests.self
        let explicitLine = "      - {id: health-explicit, partners: [agency], purposes: [help], categories: [health], explicit: true}\n"
        let kept = loader.versionOne + ["          - {id: health-explicit, partners: [agency], purposes: [help], categories: [health], explicit: true}"]
        let b = try TempBundle(replacing: [(explicitLine, ""),
                                           (loader.lastClause, loader.lastClause + "    earlier-versions:\n" + kept.joined(separator: "\n") + "\n")])
        defer { b.remove() }
        try b.write("texts/t-v1.de.md", "Fassung 1.\n")
        let policy = try CompiledPolicy.load(directory: b.url)
        let forbid = try #require(ReleaseMatrix(policy).rows.first { $0.rule == "agency-no-health" && $0.purpose == "help" })
        #expect(forbid.clauses == ["t v1/health-explicit (explicit)"], "\(forbid.clauses)")
        // Version 1's own `basic` covers contact only; the current `basic` covers identity and contact: named once.
        let consent = try #require(ReleaseMatrix(policy).rows.first { $0.rule == "agency-consent" && $0.purpose == "help" })
        #expect(consent.clauses.filter { $0.contains("basic") } == ["t/basic", "t v1/old-basic"], "\(consent.clauses)")
        let fact = Fixture.consent(clauses: ["health-explicit"], granted: "2026-01-01T00:00:00Z", expires: "2026-06-30T00:00:00Z", version: 1)
        #expect(Self.decide(policy, fact, fields: ["health.notes"]) == ["health.notes": "permit/health-explicit"])
        let diff = PolicyDiff(old: try Fixture.small(), new: policy)
        let health = try #require(diff.changes.first { $0.partner == "agency" && $0.field == "health.notes" })
        #expect(health.direction == "same", "\(health.releaseBefore) → \(health.releaseAfter)")
    }
}
